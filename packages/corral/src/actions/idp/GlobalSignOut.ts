// GlobalSignOut: revokes every refresh token of the user and every ID/access token issued so far.
import type { GlobalSignOutRequest, GlobalSignOutResponse } from '@aws-sdk/client-cognito-identity-provider';
import { action } from '../../wire/actions.js';
import { authenticate } from '../../domain/access.js';
import { signOutEverywhere } from '../../domain/sign-out.js';

export default action<GlobalSignOutRequest, GlobalSignOutResponse>(async (input, { app }) => {
  const { pool, user } = await authenticate(app, input.AccessToken!);
  await signOutEverywhere(app, pool, user);
  return {};
});
