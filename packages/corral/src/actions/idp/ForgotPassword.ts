// ForgotPassword: sends a code (valid 1 h) to the user's verified email or phone, per AccountRecoverySetting.
import type { ForgotPasswordRequest, ForgotPasswordResponse } from '@aws-sdk/client-cognito-identity-provider';
import { action } from '../../wire/actions.js';
import { InvalidParameterException, UserNotFoundException } from '../../errors.js';
import { requireClient, requirePool } from '../../domain/pools.js';
import { checkSecretHash } from '../../domain/client-auth.js';
import { findUserForSignIn } from '../../domain/users.js';
import { recoveryAttribute, sendCode } from '../../domain/verification.js';
import { preventsUserExistenceErrors, simulatedDelivery } from '../../domain/user-existence.js';

export default action<ForgotPasswordRequest, ForgotPasswordResponse>(async (input, { app }) => {
  const client = await requireClient(app, input.ClientId!);
  const pool = await requirePool(app, client.poolId);
  checkSecretHash(client, input.Username!, input.SecretHash);

  const user = await findUserForSignIn(app, pool, input.Username!);
  if (!user) {
    if (preventsUserExistenceErrors(client)) return { CodeDeliveryDetails: simulatedDelivery(pool, input.Username!) };
    throw new UserNotFoundException('Username/client id combination not found.');
  }
  const attribute = recoveryAttribute(pool, user);
  if (!attribute) throw new InvalidParameterException('Cannot reset password for the user as there is no registered/verified email or phone_number');
  return { CodeDeliveryDetails: await sendCode(app, pool, user, attribute, 'forgot_password', 'ForgotPassword') };
});
