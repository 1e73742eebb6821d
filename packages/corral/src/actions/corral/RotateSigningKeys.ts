// CorralAdmin.RotateSigningKeys: new ID and access token signing keys for a pool (crypto/signing-keys.ts); tokens
// signed with the old ones keep verifying, and the old keys stay in the JWKS, for the grace period. → the new kids.
import { action } from '../../wire/actions.js';
import { requirePool } from '../../domain/pools.js';
import { currentKey, KEY_USES, rotateSigningKeys } from '../../crypto/signing-keys.js';

export default action<{ UserPoolId: string }, { KeyIds: string[] }>(async (input, ctx) => {
  const pool = await requirePool(ctx.app, input.UserPoolId);
  await rotateSigningKeys(ctx.app, pool.id);
  const keys = await Promise.all(KEY_USES.map((use) => currentKey(ctx.app, pool.id, use)));
  ctx.log.info({ poolId: pool.id, kids: keys.map((k) => k.kid) }, 'signing keys rotated');
  return { KeyIds: keys.map((k) => k.kid) };
});
