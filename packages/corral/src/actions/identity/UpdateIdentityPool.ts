import type { IdentityPool } from '@aws-sdk/client-cognito-identity';
import { action } from '../../wire/actions.js';
import { updateIdentityPool } from '../../identity/identity-pools.js';

/** The input is the whole pool; it replaces the stored settings. */
export default action<IdentityPool, IdentityPool>(async (input, { app }) => updateIdentityPool(app, input));
