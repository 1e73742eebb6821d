// Remembered devices. The SRP verifier arrives and leaves encrypted (domain/devices.ts seals it with the server
// key); storage keeps the strings it is given.
import { isUniqueViolation } from './db.js';
import type { DevicesTable } from './schema.js';
import type { Sql } from './sql.js';

export type DeviceStatus = 'valid' | 'remembered' | 'not_remembered';

export interface Device {
  key: string;
  poolId: string;
  userId: string;
  groupKey: string;
  /** Salt bytes (send as hex, SALT). */
  salt: Buffer;
  /** Encrypted verifier; `deviceVerifier` (domain/devices.ts) opens it. */
  sealedVerifier: string;
  name: string | null;
  attributes: Record<string, string>;
  status: DeviceStatus;
  createdAt: number;
  updatedAt: number;
  lastAuthenticatedAt: number | null;
}

function fromRow(r: DevicesTable): Device {
  let attributes: Record<string, string> = {};
  try {
    attributes = JSON.parse(r.attributes) as Record<string, string>;
  } catch {
    // keep none
  }
  return {
    key: r.device_key,
    poolId: r.pool_id,
    userId: r.user_id,
    groupKey: r.group_key,
    salt: Buffer.from(r.srp_salt, 'hex'),
    sealedVerifier: r.srp_verifier,
    name: r.name,
    attributes,
    status: r.status as DeviceStatus,
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
    lastAuthenticatedAt: r.last_authenticated_at === null ? null : Number(r.last_authenticated_at),
  };
}

export function devicesRepository({ db }: Sql) {
  return {
    /** The device `deviceKey` if it is one of this user's in this pool. */
    async findForUser(poolId: string, userId: string, deviceKey: string): Promise<Device | undefined> {
      const row = await db
        .selectFrom('devices')
        .selectAll()
        .where('device_key', '=', deviceKey)
        .where('pool_id', '=', poolId)
        .where('user_id', '=', userId)
        .executeTakeFirst();
      return row && fromRow(row);
    },

    /** Stores a new device: true, or false when the key is taken already. */
    async create(d: Device): Promise<boolean> {
      try {
        await db
          .insertInto('devices')
          .values({
            device_key: d.key,
            pool_id: d.poolId,
            user_id: d.userId,
            group_key: d.groupKey,
            srp_salt: d.salt.toString('hex'),
            srp_verifier: d.sealedVerifier,
            name: d.name,
            attributes: JSON.stringify(d.attributes),
            status: d.status,
            created_at: d.createdAt,
            updated_at: d.updatedAt,
            last_authenticated_at: d.lastAuthenticatedAt,
          })
          .execute();
        return true;
      } catch (err) {
        if (isUniqueViolation(err)) return false;
        throw err;
      }
    },

    async setStatus(deviceKey: string, status: DeviceStatus, now: number): Promise<void> {
      await db.updateTable('devices').set({ status, updated_at: now }).where('device_key', '=', deviceKey).execute();
    },

    async delete(deviceKey: string): Promise<void> {
      await db.deleteFrom('devices').where('device_key', '=', deviceKey).execute();
    },

    /** Records a sign-in proven with the device. */
    async touchAuthenticated(deviceKey: string, now: number): Promise<void> {
      await db.updateTable('devices').set({ last_authenticated_at: now }).where('device_key', '=', deviceKey).execute();
    },

    /** The user's devices in key order, after the key `after` if given, at most `limit`. */
    async listForUser(poolId: string, userId: string, opts: { after?: string; limit: number }): Promise<Device[]> {
      let q = db.selectFrom('devices').selectAll().where('pool_id', '=', poolId).where('user_id', '=', userId);
      if (opts.after !== undefined) q = q.where('device_key', '>', opts.after);
      return (await q.orderBy('device_key').limit(opts.limit).execute()).map(fromRow);
    },
  };
}

export type DevicesRepository = ReturnType<typeof devicesRepository>;
