// The app client of a signed (Admin*) sign-in call: it must exist and belong to the named pool.
import { ResourceNotFoundException } from '../errors.js';
import type { Corral } from '../runtime/app.js';
import { requireClient, requirePool, type Client, type Pool } from './pools.js';

export async function adminClient(app: Corral, poolId: string, clientId: string): Promise<{ pool: Pool; client: Client }> {
  const pool = await requirePool(app, poolId);
  const client = await requireClient(app, clientId);
  if (client.poolId !== pool.id) throw new ResourceNotFoundException(`User pool client ${clientId} does not exist.`);
  return { pool, client };
}
