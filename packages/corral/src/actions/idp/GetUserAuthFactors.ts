// GetUserAuthFactors: the signed-in user's MFA preferences and the first factors they can use with USER_AUTH.
import type { GetUserAuthFactorsRequest, GetUserAuthFactorsResponse } from '@aws-sdk/client-cognito-identity-provider';
import { action } from '../../wire/actions.js';
import { authenticate } from '../../domain/access.js';
import { configuredFactors, hasPasskey } from '../../domain/challenges/user-auth.js';
import { mfaSummary } from '../../domain/user-mfa.js';

export default action<GetUserAuthFactorsRequest, GetUserAuthFactorsResponse>(async (input, { app }) => {
  const { pool, user } = await authenticate(app, input.AccessToken!);
  const { PreferredMfaSetting, UserMFASettingList } = mfaSummary(user);
  return {
    Username: user.username,
    ...(PreferredMfaSetting ? { PreferredMfaSetting } : {}),
    ...(UserMFASettingList ? { UserMFASettingList } : {}),
    ConfiguredUserAuthFactors: configuredFactors(pool, user, await hasPasskey(app, pool, user)),
  };
});
