import type { DeleteIdentityPoolInput } from '@aws-sdk/client-cognito-identity';
import { action } from '../../wire/actions.js';
import { deleteIdentityPool } from '../../identity/identity-pools.js';

export default action<DeleteIdentityPoolInput, Record<string, never>>(async (input, { app }) => {
  await deleteIdentityPool(app, input.IdentityPoolId!);
  return {};
});
