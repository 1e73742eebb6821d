// DeleteUserAttributes: removes attributes from the signed-in user (never sub, nor a required one).
import type { DeleteUserAttributesRequest, DeleteUserAttributesResponse } from '@aws-sdk/client-cognito-identity-provider';
import { action } from '../../wire/actions.js';
import { authenticate } from '../../domain/access.js';
import { attributesToRemove } from '../../domain/user-attributes.js';
import { updateUser } from '../../domain/users.js';

export default action<DeleteUserAttributesRequest, DeleteUserAttributesResponse>(async (input, { app }) => {
  const { pool, client, user } = await authenticate(app, input.AccessToken!);
  await updateUser(app, pool, user, { remove: attributesToRemove(pool, client, input.UserAttributeNames ?? []) });
  return {};
});
