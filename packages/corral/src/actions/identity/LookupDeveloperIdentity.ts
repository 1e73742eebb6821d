import type { LookupDeveloperIdentityInput, LookupDeveloperIdentityResponse } from '@aws-sdk/client-cognito-identity';
import { action } from '../../wire/actions.js';
import { lookupDeveloperIdentity } from '../../identity/developer.js';

/** Signed. The identity of a developer user (or by id), with its developer user identifiers, paginated. */
export default action<LookupDeveloperIdentityInput, LookupDeveloperIdentityResponse>(async (input, { app }) => lookupDeveloperIdentity(app, input));
