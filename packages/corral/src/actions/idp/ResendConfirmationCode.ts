// ResendConfirmationCode: a new sign-up code (the old one stops working) for a user not yet confirmed.
// With PreventUserExistenceErrors, a user that does not exist or is disabled gets a simulated delivery, after the
// same work a real one does (user-existence.ts).
import type { ResendConfirmationCodeRequest, ResendConfirmationCodeResponse } from '@aws-sdk/client-cognito-identity-provider';
import { action } from '../../wire/actions.js';
import { InvalidParameterException } from '../../errors.js';
import { codeFlowUser, publicCall } from '../../domain/public-call.js';
import { verificationTarget } from '../../domain/signup-rules.js';
import { sendCode } from '../../domain/verification.js';
import { simulatedSend } from '../../domain/user-existence.js';

export default action<ResendConfirmationCodeRequest, ResendConfirmationCodeResponse>(async (input, { app }) => {
  const call = await publicCall(app, input.ClientId!, input.Username!, input.SecretHash);
  const { pool } = call;
  const user = await codeFlowUser(app, call, input.Username!, () => undefined, { hideDisabled: true });
  if (!user) return { CodeDeliveryDetails: await simulatedSend(app, pool, input.Username!) };
  if (user.status !== 'UNCONFIRMED') throw new InvalidParameterException('User is already confirmed.');
  const target = verificationTarget(pool, user.attributes);
  if (!target) throw new InvalidParameterException('Auto verification not turned on.');
  return { CodeDeliveryDetails: await sendCode(app, pool, user, target, 'signup', 'ResendCode') };
});
