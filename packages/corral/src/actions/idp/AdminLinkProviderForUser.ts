// AdminLinkProviderForUser: an external identity (SourceUser) that has not signed in yet will sign in as an existing
// user of the pool (DestinationUser); at most 5 per user; the user's `identities` lists the link.
import type { AdminLinkProviderForUserRequest, AdminLinkProviderForUserResponse } from '@aws-sdk/client-cognito-identity-provider';
import { action } from '../../wire/actions.js';
import { linkProviderForUser } from '../../domain/federation/links.js';
import { requirePool } from '../../domain/pools.js';

export default action<AdminLinkProviderForUserRequest, AdminLinkProviderForUserResponse>(async (input, { app }) => {
  const pool = await requirePool(app, input.UserPoolId!);
  await linkProviderForUser(app, pool, input.DestinationUser!, input.SourceUser!);
  return {};
});
