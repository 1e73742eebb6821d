// AdminConfirmSignUp: an administrator confirms an UNCONFIRMED user (no code; no attribute becomes verified).
import type { AdminConfirmSignUpRequest, AdminConfirmSignUpResponse } from '@aws-sdk/client-cognito-identity-provider';
import { action } from '../../wire/actions.js';
import { NotAuthorizedException } from '../../errors.js';
import { requirePool } from '../../domain/pools.js';
import { requireAdminUser } from '../../domain/admin-users.js';
import { discardCode } from '../../domain/codes.js';
import { updateUser } from '../../domain/users.js';
import { postConfirmation } from '../../triggers/index.js';

export default action<AdminConfirmSignUpRequest, AdminConfirmSignUpResponse>(async (input, { app }) => {
  const pool = await requirePool(app, input.UserPoolId!);
  const user = await requireAdminUser(app, pool, input.Username!);
  if (user.status !== 'UNCONFIRMED') throw new NotAuthorizedException(`User cannot be confirmed. Current status is ${user.status}`);
  const confirmed = await updateUser(app, pool, user, { status: 'CONFIRMED' });
  await discardCode(app, { poolId: pool.id, userId: user.sub, purpose: 'signup' });
  await postConfirmation(app, pool, confirmed, 'PostConfirmation_ConfirmSignUp', { clientMetadata: input.ClientMetadata });
  return {};
});
