// AdminDeleteUserAttributes: an administrator removes attributes from a user (never sub, nor a required one).
import type { AdminDeleteUserAttributesRequest, AdminDeleteUserAttributesResponse } from '@aws-sdk/client-cognito-identity-provider';
import { action } from '../../wire/actions.js';
import { requirePool } from '../../domain/pools.js';
import { requireAdminUser } from '../../domain/admin-users.js';
import { attributesToRemove } from '../../domain/user-attributes.js';
import { updateUser } from '../../domain/users.js';

export default action<AdminDeleteUserAttributesRequest, AdminDeleteUserAttributesResponse>(async (input, { app }) => {
  const pool = await requirePool(app, input.UserPoolId!);
  const user = await requireAdminUser(app, pool, input.Username!);
  await updateUser(app, pool, user, { remove: attributesToRemove(pool, undefined, input.UserAttributeNames!) });
  return {};
});
