// AdminSetUserMFAPreference (signed): SetUserMFAPreference for a user named by username or sign-in alias.
import type { AdminSetUserMFAPreferenceRequest, AdminSetUserMFAPreferenceResponse } from '@aws-sdk/client-cognito-identity-provider';
import { action } from '../../wire/actions.js';
import { UserNotFoundException } from '../../errors.js';
import { requirePool } from '../../domain/pools.js';
import { findUserForSignIn } from '../../domain/users.js';
import { applyMfaPreference, changeUserMfa } from '../../domain/user-mfa.js';

export default action<AdminSetUserMFAPreferenceRequest, AdminSetUserMFAPreferenceResponse>(async (input, { app }) => {
  const pool = await requirePool(app, input.UserPoolId!);
  const user = await findUserForSignIn(app, pool, input.Username!);
  if (!user) throw new UserNotFoundException('User does not exist.');
  await changeUserMfa(app, pool, user, (m) => ({ next: applyMfaPreference(pool, user, m, input), result: undefined }));
  return {};
});
