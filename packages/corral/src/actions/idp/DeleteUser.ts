// DeleteUser: the signed-in user deletes itself; its tokens stop working.
import type { DeleteUserRequest } from '@aws-sdk/client-cognito-identity-provider';
import { action } from '../../wire/actions.js';
import { authenticate } from '../../domain/access.js';
import { signOutEverywhere } from '../../domain/sign-out.js';
import { deleteUser } from '../../domain/users.js';

export default action<DeleteUserRequest, Record<string, never>>(async (input, { app }) => {
  const { pool, user } = await authenticate(app, input.AccessToken!);
  await signOutEverywhere(app, pool, user);
  await deleteUser(app, user);
  return {};
});
