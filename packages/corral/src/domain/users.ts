// Users of a pool: lookup by username or sign-in alias, creation, updates. Uniqueness of usernames and of
// sign-in aliases is enforced by the database's unique indexes, never by a read-then-write here.
import type { UserStatusType } from '@aws-sdk/client-cognito-identity-provider';
import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { AliasExistsException, UsernameExistsException, UserNotFoundException } from '../errors.js';
import type { Corral } from '../runtime/app.js';
import { isUniqueViolation } from '../storage/db.js';
import type { DB } from '../storage/schema.js';
import type { UsersTable } from '../storage/migrations/0002_users.js';
import type { Attributes } from './user-attributes.js';
import type { Pool } from './pools.js';

export type AliasAttribute = 'email' | 'phone_number' | 'preferred_username';

export interface User {
  sub: string;
  poolId: string;
  username: string;
  status: UserStatusType;
  enabled: boolean;
  attributes: Attributes;
  srpSalt: string | null;
  /** Encrypted verifier (decrypt with crypto/box.ts, purpose SRP_VERIFIER_PURPOSE). */
  srpVerifier: string | null;
  mfa: string | null;
  tokensValidAfter: number;
  failedAttempts: number;
  lastFailedAt: number | null;
  createdAt: number;
  updatedAt: number;
}

export const SRP_VERIFIER_PURPOSE = 'srp-verifier';

export function fromRow(r: UsersTable): User {
  return {
    sub: r.id,
    poolId: r.pool_id,
    username: r.username,
    status: r.status as UserStatusType,
    enabled: Number(r.enabled) === 1,
    attributes: JSON.parse(r.attributes) as Attributes,
    srpSalt: r.srp_salt,
    srpVerifier: r.srp_verifier,
    mfa: r.mfa,
    tokensValidAfter: Number(r.tokens_valid_after),
    failedAttempts: Number(r.failed_attempts),
    lastFailedAt: r.last_failed_at === null ? null : Number(r.last_failed_at),
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
  };
}

export function caseSensitive(pool: Pool): boolean {
  return pool.settings.UsernameConfiguration?.CaseSensitive ?? true;
}

export function usernameKey(pool: Pool, username: string): string {
  return caseSensitive(pool) ? username : username.toLowerCase();
}

export function aliasKey(attribute: string, value: string): string {
  return attribute === 'phone_number' ? value : value.toLowerCase();
}

/** The attributes that identify a user at sign-in besides the username, and whether they must be verified first. */
export function signInAttributes(pool: Pool): { attribute: AliasAttribute; needsVerification: boolean }[] {
  if (pool.settings.UsernameAttributes?.length) {
    return pool.settings.UsernameAttributes.map((a) => ({ attribute: a as AliasAttribute, needsVerification: false }));
  }
  return (pool.settings.AliasAttributes ?? []).map((a) => ({ attribute: a as AliasAttribute, needsVerification: a !== 'preferred_username' }));
}

/** The alias rows a user should hold given its attributes. */
export function aliasesFor(pool: Pool, attributes: Attributes): { attribute: AliasAttribute; valueKey: string }[] {
  const out: { attribute: AliasAttribute; valueKey: string }[] = [];
  for (const { attribute, needsVerification } of signInAttributes(pool)) {
    const value = attributes[attribute];
    if (!value) continue;
    if (needsVerification && attributes[`${attribute}_verified`] !== 'true') continue;
    out.push({ attribute, valueKey: aliasKey(attribute, value) });
  }
  return out;
}

export async function findUser(app: Corral, pool: Pool, username: string): Promise<User | undefined> {
  const row = await app.db
    .selectFrom('users')
    .selectAll()
    .where('pool_id', '=', pool.id)
    .where('username_key', '=', usernameKey(pool, username))
    .executeTakeFirst();
  return row && fromRow(row);
}

export async function findUserBySub(app: Corral, poolId: string, sub: string): Promise<User | undefined> {
  const row = await app.db.selectFrom('users').selectAll().where('pool_id', '=', poolId).where('id', '=', sub).executeTakeFirst();
  return row && fromRow(row);
}

/** A user named by username, or by a sign-in alias the pool allows (verified where the pool requires it). */
export async function findUserForSignIn(app: Corral, pool: Pool, identifier: string): Promise<User | undefined> {
  const byName = await findUser(app, pool, identifier);
  if (byName) return byName;
  for (const { attribute } of signInAttributes(pool)) {
    const row = await app.db
      .selectFrom('user_aliases')
      .innerJoin('users', 'users.id', 'user_aliases.user_id')
      .selectAll('users')
      .where('user_aliases.pool_id', '=', pool.id)
      .where('user_aliases.attribute', '=', attribute)
      .where('user_aliases.value_key', '=', aliasKey(attribute, identifier))
      .executeTakeFirst();
    if (row) return fromRow(row);
  }
  return undefined;
}

export async function requireUser(app: Corral, pool: Pool, username: string): Promise<User> {
  const user = await findUser(app, pool, username);
  if (!user) throw new UserNotFoundException('User does not exist.');
  return user;
}

export interface NewUser {
  username?: string;
  sub?: string;
  status: UserStatusType;
  attributes: Attributes;
  srpSalt?: string | null;
  srpVerifier?: string | null;
  enabled?: boolean;
}

/** Creates a user with its aliases in one transaction; a taken username or alias is UsernameExistsException. */
export async function createUser(app: Corral, pool: Pool, input: NewUser): Promise<User> {
  const sub = input.sub ?? randomUUID();
  const username = input.username ?? sub;
  const now = app.now();
  const attributes: Attributes = { sub, ...input.attributes };
  const row: UsersTable = {
    id: sub,
    pool_id: pool.id,
    username,
    username_key: usernameKey(pool, username),
    status: input.status,
    enabled: input.enabled === false ? 0 : 1,
    attributes: JSON.stringify(attributes),
    srp_salt: input.srpSalt ?? null,
    srp_verifier: input.srpVerifier ?? null,
    mfa: null,
    tokens_valid_after: 0,
    failed_attempts: 0,
    last_failed_at: null,
    created_at: now,
    updated_at: now,
  };
  // In UsernameAttributes pools the email/phone is the user's name: unique even before verification.
  const uniqueNames = pool.settings.UsernameAttributes?.length ? aliasesFor(pool, attributes) : [];
  try {
    await app.db.transaction().execute(async (tx) => {
      await tx.insertInto('users').values(row).execute();
      for (const a of uniqueNames) {
        await tx.insertInto('user_aliases').values({ pool_id: pool.id, attribute: a.attribute, value_key: a.valueKey, user_id: sub }).execute();
      }
    });
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
    throw new UsernameExistsException(uniqueNames.length ? `An account with the given ${uniqueNames[0]!.attribute === 'email' ? 'email' : 'phone_number'} already exists.` : 'User already exists');
  }
  return fromRow(row);
}

export type UserPatch = Partial<Pick<UsersTable, 'status' | 'enabled' | 'srp_salt' | 'srp_verifier' | 'mfa' | 'tokens_valid_after' | 'failed_attempts' | 'last_failed_at'>> & {
  attributes?: Attributes;
};

type Tx = Transaction<DB>;

/**
 * Writes a user's changes and re-derives its sign-in aliases in one transaction. An alias value verified on
 * another account is AliasExistsException, unless `forceAlias`, which moves it here (the other account's value
 * becomes unverified).
 */
export async function updateUser(app: Corral, pool: Pool, user: User, patch: UserPatch, forceAlias = false): Promise<User> {
  const now = app.now();
  const attributes = patch.attributes ?? user.attributes;
  const { attributes: _drop, ...columns } = patch;
  void _drop;
  await app.db.transaction().execute(async (tx) => {
    await tx
      .updateTable('users')
      .set({ ...columns, attributes: JSON.stringify(attributes), updated_at: now })
      .where('id', '=', user.sub)
      .execute();
    if (patch.attributes) await syncAliases(tx, pool, user.sub, attributes, forceAlias, now);
  });
  const fresh = await findUserBySub(app, pool.id, user.sub);
  if (!fresh) throw new UserNotFoundException('User does not exist.');
  return fresh;
}

/** Throws AliasExistsException when an alias the attributes would give this user is held by another account. */
export async function checkAliasesFree(app: Corral, pool: Pool, sub: string, attributes: Attributes): Promise<void> {
  for (const a of aliasesFor(pool, attributes)) {
    const holder = await aliasHolder(app.db, pool.id, a);
    if (holder && holder !== sub) throw aliasExists(a.attribute);
  }
}

/** The sub of the user holding an alias value, if any. */
async function aliasHolder(db: Kysely<DB>, poolId: string, a: { attribute: string; valueKey: string }): Promise<string | undefined> {
  const row = await db
    .selectFrom('user_aliases')
    .select('user_id')
    .where('pool_id', '=', poolId)
    .where('attribute', '=', a.attribute)
    .where('value_key', '=', a.valueKey)
    .executeTakeFirst();
  return row?.user_id;
}

function aliasExists(attribute: string): AliasExistsException {
  return new AliasExistsException(`An account with the given ${attribute} already exists.`);
}

async function syncAliases(tx: Tx, pool: Pool, sub: string, attributes: Attributes, force: boolean, now: number): Promise<void> {
  await tx.deleteFrom('user_aliases').where('user_id', '=', sub).execute();
  for (const a of aliasesFor(pool, attributes)) {
    const holder = await aliasHolder(tx, pool.id, a);
    if (holder) {
      if (!force) throw aliasExists(a.attribute);
      await tx.deleteFrom('user_aliases').where('user_id', '=', holder).where('attribute', '=', a.attribute).execute();
      const other = await tx.selectFrom('users').select('attributes').where('id', '=', holder).executeTakeFirstOrThrow();
      const otherAttrs = JSON.parse(other.attributes) as Attributes;
      if (a.attribute !== 'preferred_username') otherAttrs[`${a.attribute}_verified`] = 'false';
      else delete otherAttrs.preferred_username;
      await tx.updateTable('users').set({ attributes: JSON.stringify(otherAttrs), updated_at: now }).where('id', '=', holder).execute();
    }
    try {
      await tx.insertInto('user_aliases').values({ pool_id: pool.id, attribute: a.attribute, value_key: a.valueKey, user_id: sub }).execute();
    } catch (err) {
      if (isUniqueViolation(err)) throw aliasExists(a.attribute);
      throw err;
    }
  }
}

export async function deleteUser(app: Corral, user: User): Promise<void> {
  await app.db.transaction().execute(async (tx) => {
    await tx.deleteFrom('user_aliases').where('user_id', '=', user.sub).execute();
    await tx.deleteFrom('users').where('id', '=', user.sub).execute();
  });
}
