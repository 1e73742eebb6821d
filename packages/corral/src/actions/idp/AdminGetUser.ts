// AdminGetUser: a user's username, attributes, dates, Enabled, UserStatus and MFA settings, named by username,
// alias or sub.
import type { AdminGetUserRequest, AdminGetUserResponse } from '@aws-sdk/client-cognito-identity-provider';
import { action } from '../../wire/actions.js';
import { requirePool } from '../../domain/pools.js';
import { describeUser, requireAdminUser } from '../../domain/admin-users.js';
import { mfaSummary } from '../../domain/user-mfa.js';

export default action<AdminGetUserRequest, AdminGetUserResponse>(async (input, { app }) => {
  const pool = await requirePool(app, input.UserPoolId!);
  const found = await requireAdminUser(app, pool, input.Username!);
  const { Attributes, ...user } = describeUser(found);
  return { ...user, Username: user.Username!, UserAttributes: Attributes, ...mfaSummary(found) };
});
