// ForgotPassword: sends a code (valid 1 h) to the user's verified email or phone, per AccountRecoverySetting.
// With PreventUserExistenceErrors, a user that does not exist, is disabled or has nothing verified to recover with
// gets a simulated delivery, after the same work a real one does (user-existence.ts).
import type { ForgotPasswordRequest, ForgotPasswordResponse } from '@aws-sdk/client-cognito-identity-provider';
import { action } from '../../wire/actions.js';
import { InvalidParameterException, NotAuthorizedException } from '../../errors.js';
import { codeFlowUser, publicCall } from '../../domain/public-call.js';
import { adminOnlyRecovery, recoveryAttribute, sendCode } from '../../domain/verification.js';
import { preventsUserExistenceErrors, simulatedSend } from '../../domain/user-existence.js';
import { migrateOnForgotPassword } from '../../domain/user-migration.js';

export default action<ForgotPasswordRequest, ForgotPasswordResponse>(async (input, { app }) => {
  const call = await publicCall(app, input.ClientId!, input.Username!, input.SecretHash);
  const { pool } = call;
  // A pool whose accounts an administrator recovers (AccountRecoverySetting admin_only) refuses self-service
  // recovery for everyone, whether the user exists or not.
  if (adminOnlyRecovery(pool)) throw new NotAuthorizedException('Contact administrator to reset password.');
  const simulated = async () => ({ CodeDeliveryDetails: await simulatedSend(app, pool, input.Username!) });
  const user =
    (await migrateOnForgotPassword(app, call, input.Username!, input.ClientMetadata)) ??
    (await codeFlowUser(app, call, input.Username!, () => undefined, { hideDisabled: true }));
  if (!user) return simulated();
  // A user still holding an administrator's temporary password signs in with it instead (NEW_PASSWORD_REQUIRED).
  if (user.status === 'FORCE_CHANGE_PASSWORD') throw new NotAuthorizedException('User password cannot be reset in the current state.');
  const attribute = recoveryAttribute(pool, user);
  if (!attribute) {
    if (preventsUserExistenceErrors(call.client)) return simulated();
    throw new InvalidParameterException('Cannot reset password for the user as there is no registered/verified email or phone_number');
  }
  return { CodeDeliveryDetails: await sendCode(app, pool, user, attribute, 'forgot_password', 'ForgotPassword') };
});
