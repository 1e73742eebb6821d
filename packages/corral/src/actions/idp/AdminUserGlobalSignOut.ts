// AdminUserGlobalSignOut: revokes every refresh token of the user and every ID/access token issued so far.
import type { AdminUserGlobalSignOutRequest, AdminUserGlobalSignOutResponse } from '@aws-sdk/client-cognito-identity-provider';
import { action } from '../../wire/actions.js';
import { requirePool } from '../../domain/pools.js';
import { requireAdminUser } from '../../domain/admin-users.js';
import { signOutEverywhere } from '../../domain/sign-out.js';

export default action<AdminUserGlobalSignOutRequest, AdminUserGlobalSignOutResponse>(async (input, { app }) => {
  const pool = await requirePool(app, input.UserPoolId!);
  await signOutEverywhere(app, pool, await requireAdminUser(app, pool, input.Username!));
  return {};
});
