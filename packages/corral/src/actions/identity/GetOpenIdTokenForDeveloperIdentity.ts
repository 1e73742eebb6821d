import type { GetOpenIdTokenForDeveloperIdentityInput, GetOpenIdTokenForDeveloperIdentityResponse } from '@aws-sdk/client-cognito-identity';
import { action } from '../../wire/actions.js';
import { getOpenIdTokenForDeveloperIdentity } from '../../identity/developer.js';

/** Signed (the developer's back end). The identity of the developer user (created or linked) and a token for it. */
export default action<GetOpenIdTokenForDeveloperIdentityInput, GetOpenIdTokenForDeveloperIdentityResponse>(async (input, { app }) =>
  getOpenIdTokenForDeveloperIdentity(app, input),
);
