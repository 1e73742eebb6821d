// DeleteWebAuthnCredential: the signed-in user removes one of their passkeys.
import type { DeleteWebAuthnCredentialRequest, DeleteWebAuthnCredentialResponse } from '@aws-sdk/client-cognito-identity-provider';
import { action } from '../../wire/actions.js';
import { authenticate } from '../../domain/access.js';
import { deletePasskey } from '../../domain/webauthn/credentials.js';

export default action<DeleteWebAuthnCredentialRequest, DeleteWebAuthnCredentialResponse>(async (input, { app }) => {
  const { pool, user } = await authenticate(app, input.AccessToken!);
  await deletePasskey(app, pool.id, user.sub, input.CredentialId!);
  return {};
});
