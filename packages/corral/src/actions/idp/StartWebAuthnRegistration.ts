// StartWebAuthnRegistration: CredentialCreationOptions for a new passkey of the signed-in user.
import type { StartWebAuthnRegistrationRequest, StartWebAuthnRegistrationResponse } from '@aws-sdk/client-cognito-identity-provider';
import { action } from '../../wire/actions.js';
import { authenticate } from '../../domain/access.js';
import { startRegistration } from '../../domain/webauthn/registration.js';

export default action<StartWebAuthnRegistrationRequest, StartWebAuthnRegistrationResponse>(async (input, { app }) => {
  const caller = await authenticate(app, input.AccessToken!);
  return { CredentialCreationOptions: (await startRegistration(app, caller)) as StartWebAuthnRegistrationResponse['CredentialCreationOptions'] };
});
