// Passkeys (WebAuthn credentials) of users, per pool. Nothing here is secret: the public key and the sign count
// are what a relying party keeps. The sign count only moves by compare-and-set (`advanceSignCount`), so of several
// assertions answered at once with one count, at most one is accepted, on any instance.
import { isUniqueViolation } from './db.js';
import type { WebAuthnCredentialsTable } from './schema.js';
import { count, type Sql } from './sql.js';

export interface WebAuthnCredential {
  poolId: string;
  /** The credential id as base64url (what the authenticator returns as `id`). */
  credentialId: string;
  userId: string;
  /** The COSE public key, base64url. */
  publicKey: string;
  signCount: number;
  transports: string[];
  attachment: string | null;
  friendlyName: string;
  relyingPartyId: string;
  createdAt: number;
  lastUsedAt: number | null;
}

function fromRow(r: WebAuthnCredentialsTable): WebAuthnCredential {
  let transports: string[] = [];
  try {
    const parsed: unknown = JSON.parse(r.transports);
    if (Array.isArray(parsed)) transports = parsed.filter((t): t is string => typeof t === 'string');
  } catch {
    // keep none
  }
  return {
    poolId: r.pool_id,
    credentialId: r.credential_id,
    userId: r.user_id,
    publicKey: r.public_key,
    signCount: Number(r.sign_count),
    transports,
    attachment: r.attachment,
    friendlyName: r.friendly_name,
    relyingPartyId: r.relying_party_id,
    createdAt: Number(r.created_at),
    lastUsedAt: r.last_used_at === null ? null : Number(r.last_used_at),
  };
}

export function webAuthnCredentialsRepository({ db }: Sql) {
  return {
    /** Stores a new credential: true, or false when the pool has that credential id already. */
    async create(c: WebAuthnCredential): Promise<boolean> {
      try {
        await db
          .insertInto('webauthn_credentials')
          .values({
            pool_id: c.poolId,
            credential_id: c.credentialId,
            user_id: c.userId,
            public_key: c.publicKey,
            sign_count: c.signCount,
            transports: JSON.stringify(c.transports),
            attachment: c.attachment,
            friendly_name: c.friendlyName,
            relying_party_id: c.relyingPartyId,
            created_at: c.createdAt,
            last_used_at: c.lastUsedAt,
          })
          .execute();
        return true;
      } catch (err) {
        if (isUniqueViolation(err)) return false;
        throw err;
      }
    },

    async find(poolId: string, credentialId: string): Promise<WebAuthnCredential | undefined> {
      const row = await db
        .selectFrom('webauthn_credentials')
        .selectAll()
        .where('pool_id', '=', poolId)
        .where('credential_id', '=', credentialId)
        .executeTakeFirst();
      return row && fromRow(row);
    },

    /** The user's credentials in id order, after the id `after` if given, at most `limit`. */
    async listForUser(poolId: string, userId: string, opts: { after?: string; limit: number }): Promise<WebAuthnCredential[]> {
      let q = db.selectFrom('webauthn_credentials').selectAll().where('user_id', '=', userId).where('pool_id', '=', poolId);
      if (opts.after !== undefined) q = q.where('credential_id', '>', opts.after);
      return (await q.orderBy('credential_id').limit(opts.limit).execute()).map(fromRow);
    },

    async countForUser(poolId: string, userId: string): Promise<number> {
      const r = await db
        .selectFrom('webauthn_credentials')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('user_id', '=', userId)
        .where('pool_id', '=', poolId)
        .executeTakeFirst();
      return Number(r?.n ?? 0);
    },

    /** Deletes one of the user's credentials: true when it was theirs and is gone. */
    async delete(poolId: string, userId: string, credentialId: string): Promise<boolean> {
      const r = await db
        .deleteFrom('webauthn_credentials')
        .where('pool_id', '=', poolId)
        .where('user_id', '=', userId)
        .where('credential_id', '=', credentialId)
        .executeTakeFirst();
      return count(r.numDeletedRows) > 0;
    },

    /**
     * Moves the sign count from `expected` to `next` (and records the use), only if it is still `expected`: one
     * UPDATE, so of concurrent callers with the same `expected` at most one gets true.
     */
    async advanceSignCount(poolId: string, credentialId: string, expected: number, next: number, now: number): Promise<boolean> {
      const r = await db
        .updateTable('webauthn_credentials')
        .set({ sign_count: next, last_used_at: now })
        .where('pool_id', '=', poolId)
        .where('credential_id', '=', credentialId)
        .where('sign_count', '=', expected)
        .executeTakeFirst();
      return count(r.numUpdatedRows) > 0;
    },
  };
}

export type WebAuthnCredentialsRepository = ReturnType<typeof webAuthnCredentialsRepository>;
