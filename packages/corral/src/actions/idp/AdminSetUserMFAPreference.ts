// AdminSetUserMFAPreference (signed): SetUserMFAPreference for a user named by username, sign-in alias or sub (the
// API reference: "it can be any of their alias attributes … this value must be the sub of a local user").
import type { AdminSetUserMFAPreferenceRequest, AdminSetUserMFAPreferenceResponse } from '@aws-sdk/client-cognito-identity-provider';
import { action } from '../../wire/actions.js';
import { requirePool } from '../../domain/pools.js';
import { requireAdminUser } from '../../domain/admin-users.js';
import { applyMfaPreference, changeUserMfa } from '../../domain/user-mfa.js';

export default action<AdminSetUserMFAPreferenceRequest, AdminSetUserMFAPreferenceResponse>(async (input, { app }) => {
  const pool = await requirePool(app, input.UserPoolId!);
  const user = await requireAdminUser(app, pool, input.Username!);
  await changeUserMfa(app, pool, user, (m) => ({ next: applyMfaPreference(pool, user, m, input), result: undefined }));
  return {};
});
