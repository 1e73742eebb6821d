import type { CreateIdentityPoolInput, IdentityPool } from '@aws-sdk/client-cognito-identity';
import { action } from '../../wire/actions.js';
import { createIdentityPool } from '../../identity/identity-pools.js';

export default action<CreateIdentityPoolInput, IdentityPool>(async (input, { app }) => createIdentityPool(app, input));
