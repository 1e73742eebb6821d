// ResendConfirmationCode: a new sign-up code (the old one stops working) for a user not yet confirmed.
import type { ResendConfirmationCodeRequest, ResendConfirmationCodeResponse } from '@aws-sdk/client-cognito-identity-provider';
import { action } from '../../wire/actions.js';
import { InvalidParameterException, UserNotFoundException } from '../../errors.js';
import { requireClient, requirePool } from '../../domain/pools.js';
import { checkSecretHash } from '../../domain/client-auth.js';
import { findUserForSignIn } from '../../domain/users.js';
import { verificationTarget } from '../../domain/signup-rules.js';
import { sendCode } from '../../domain/verification.js';
import { preventsUserExistenceErrors, simulatedDelivery } from '../../domain/user-existence.js';

export default action<ResendConfirmationCodeRequest, ResendConfirmationCodeResponse>(async (input, { app }) => {
  const client = await requireClient(app, input.ClientId!);
  const pool = await requirePool(app, client.poolId);
  checkSecretHash(client, input.Username!, input.SecretHash);

  const user = await findUserForSignIn(app, pool, input.Username!);
  if (!user) {
    if (preventsUserExistenceErrors(client)) return { CodeDeliveryDetails: simulatedDelivery(pool, input.Username!) };
    throw new UserNotFoundException('Username/client id combination not found.');
  }
  if (user.status !== 'UNCONFIRMED') throw new InvalidParameterException('User is already confirmed.');
  const target = verificationTarget(pool, user.attributes);
  if (!target) throw new InvalidParameterException('Auto verification not turned on.');
  return { CodeDeliveryDetails: await sendCode(app, pool, user, target, 'signup', 'ResendCode') };
});
