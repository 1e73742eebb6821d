// GetUser: the signed-in user's username and attributes (those the client may read).
import type { GetUserRequest, GetUserResponse } from '@aws-sdk/client-cognito-identity-provider';
import { action } from '../../wire/actions.js';
import { authenticate } from '../../domain/access.js';
import { readableAttributes } from '../../domain/user-attributes.js';
import { mfaSummary } from '../../domain/user-mfa.js';

export default action<GetUserRequest, GetUserResponse>(async (input, { app }) => {
  const { user, client } = await authenticate(app, input.AccessToken!);
  return { Username: user.username, UserAttributes: readableAttributes(user.attributes, client), ...mfaSummary(user) };
});
