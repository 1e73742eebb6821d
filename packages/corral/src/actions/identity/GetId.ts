import type { GetIdInput, GetIdResponse } from '@aws-sdk/client-cognito-identity';
import { action } from '../../wire/actions.js';
import { requireIdentityPool } from '../../identity/identity-pools.js';
import { getOrCreateIdentity, verifyLogins } from '../../identity/identities.js';

/** Unsigned. The identity linked to the Logins (created on first sight), or a new unauthenticated identity. */
export default action<GetIdInput, GetIdResponse>(async (input, { app }) => {
  const pool = await requireIdentityPool(app, input.IdentityPoolId!);
  const logins = await verifyLogins(app, pool, input.Logins);
  return { IdentityId: await getOrCreateIdentity(app, pool, logins) };
});
