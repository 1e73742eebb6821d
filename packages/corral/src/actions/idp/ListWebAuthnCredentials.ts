// ListWebAuthnCredentials: the signed-in user's passkeys, MaxResults (up to 20) a page.
import type { ListWebAuthnCredentialsRequest, ListWebAuthnCredentialsResponse } from '@aws-sdk/client-cognito-identity-provider';
import { action } from '../../wire/actions.js';
import { authenticate } from '../../domain/access.js';
import { listPasskeys } from '../../domain/webauthn/credentials.js';

export default action<ListWebAuthnCredentialsRequest, ListWebAuthnCredentialsResponse>(async (input, { app }) => {
  const { pool, user } = await authenticate(app, input.AccessToken!);
  return listPasskeys(app, pool.id, user.sub, input.MaxResults, input.NextToken);
});
