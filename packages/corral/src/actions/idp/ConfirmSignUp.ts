// ConfirmSignUp: the code sent at sign-up confirms the user and verifies the attribute it went to.
import type { ConfirmSignUpRequest, ConfirmSignUpResponse } from '@aws-sdk/client-cognito-identity-provider';
import { action } from '../../wire/actions.js';
import { CodeMismatchException, NotAuthorizedException, UserNotFoundException } from '../../errors.js';
import { requireClient, requirePool } from '../../domain/pools.js';
import { checkSecretHash } from '../../domain/client-auth.js';
import { consumeCode } from '../../domain/codes.js';
import { checkAliasesFree, findUserForSignIn, updateUser } from '../../domain/users.js';
import { verificationTarget } from '../../domain/signup-rules.js';
import { preventsUserExistenceErrors } from '../../domain/user-existence.js';

export default action<ConfirmSignUpRequest, ConfirmSignUpResponse>(async (input, { app }) => {
  const client = await requireClient(app, input.ClientId!);
  const pool = await requirePool(app, client.poolId);
  checkSecretHash(client, input.Username!, input.SecretHash);

  const user = await findUserForSignIn(app, pool, input.Username!);
  if (!user) {
    if (preventsUserExistenceErrors(client)) throw new CodeMismatchException('Invalid verification code provided, please try again.');
    throw new UserNotFoundException('Username/client id combination not found.');
  }
  if (user.status !== 'UNCONFIRMED') {
    throw new NotAuthorizedException(`User cannot be confirmed. Current status is ${user.status}`);
  }
  const target = verificationTarget(pool, user.attributes);
  const attributes = target ? { ...user.attributes, [`${target}_verified`]: 'true' } : user.attributes;
  // The code stays valid when the alias is taken, so the user can retry with ForceAliasCreation.
  if (!input.ForceAliasCreation) await checkAliasesFree(app, pool, user.sub, attributes);
  await consumeCode(app, { poolId: pool.id, userId: user.sub, purpose: 'signup', code: input.ConfirmationCode! });
  await updateUser(app, pool, user, { status: 'CONFIRMED', attributes }, input.ForceAliasCreation ?? false);
  return {};
});
