// AdminDisableProviderForUser: the external identity no longer signs in as the user it was linked to (the link goes),
// or, not linked, its federated user is disabled.
import type { AdminDisableProviderForUserRequest, AdminDisableProviderForUserResponse } from '@aws-sdk/client-cognito-identity-provider';
import { action } from '../../wire/actions.js';
import { disableProviderForUser } from '../../domain/federation/links.js';
import { requirePool } from '../../domain/pools.js';

export default action<AdminDisableProviderForUserRequest, AdminDisableProviderForUserResponse>(async (input, { app }) => {
  const pool = await requirePool(app, input.UserPoolId!);
  await disableProviderForUser(app, pool, input.User!);
  return {};
});
