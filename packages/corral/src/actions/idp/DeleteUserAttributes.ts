// DeleteUserAttributes: removes attributes from the signed-in user (never sub, nor a required one, nor a
// developer-only one).
import type { DeleteUserAttributesRequest, DeleteUserAttributesResponse } from '@aws-sdk/client-cognito-identity-provider';
import { action } from '../../wire/actions.js';
import { NotAuthorizedException } from '../../errors.js';
import { authenticate } from '../../domain/access.js';
import { attributesToRemove } from '../../domain/user-attributes.js';
import { updateUser } from '../../domain/users.js';

export default action<DeleteUserAttributesRequest, DeleteUserAttributesResponse>(async (input, { app }) => {
  const { pool, client, user } = await authenticate(app, input.AccessToken!);
  const names = input.UserAttributeNames ?? [];
  const remove = attributesToRemove(pool, client, names);
  // Developer-only (dev:custom:) attributes are read-only to every app client; only IAM-authenticated calls change
  // them (SchemaAttributeType, API reference).
  if (names.some((n) => n.startsWith('dev:'))) throw new NotAuthorizedException('A client attempted to write unauthorized attribute');
  await updateUser(app, pool, user, { remove });
  return {};
});
