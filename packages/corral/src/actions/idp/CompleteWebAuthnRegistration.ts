// CompleteWebAuthnRegistration: verifies the new passkey (a RegistrationResponseJSON) and stores it for the user.
import type { CompleteWebAuthnRegistrationRequest, CompleteWebAuthnRegistrationResponse } from '@aws-sdk/client-cognito-identity-provider';
import { action } from '../../wire/actions.js';
import { authenticate } from '../../domain/access.js';
import { completeRegistration } from '../../domain/webauthn/registration.js';

export default action<CompleteWebAuthnRegistrationRequest, CompleteWebAuthnRegistrationResponse>(async (input, { app }) => {
  const caller = await authenticate(app, input.AccessToken!);
  await completeRegistration(app, caller, input.Credential);
  return {};
});
