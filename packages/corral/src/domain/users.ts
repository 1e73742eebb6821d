// Users of a pool: lookup by username or sign-in alias, creation, updates. Uniqueness of usernames and of
// sign-in aliases is enforced by the database's unique indexes, never by a read-then-write here; an update is
// computed from the user as stored under its row lock (storage/users.ts), never written back from a stale read.
import type { UserStatusType } from '@aws-sdk/client-cognito-identity-provider';
import { randomUUID } from 'node:crypto';
import { AliasExistsException, UsernameExistsException, UserNotFoundException } from '../errors.js';
import type { Corral } from '../runtime/app.js';
import type { Alias, AliasAttribute, AliasRules, Attributes, User, UserChanges } from '../storage/users.js';
import type { Pool } from './pools.js';

export type { AliasAttribute, User } from '../storage/users.js';

export const SRP_VERIFIER_PURPOSE = 'srp-verifier';

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
export function aliasesFor(pool: Pool, attributes: Attributes): Alias[] {
  const out: Alias[] = [];
  for (const { attribute, needsVerification } of signInAttributes(pool)) {
    const value = attributes[attribute];
    if (!value) continue;
    if (needsVerification && attributes[`${attribute}_verified`] !== 'true') continue;
    out.push({ attribute, valueKey: aliasKey(attribute, value) });
  }
  return out;
}

function aliasRules(pool: Pool, force: boolean): AliasRules {
  return { derive: (attributes) => aliasesFor(pool, attributes), force };
}

export async function findUser(app: Corral, pool: Pool, username: string): Promise<User | undefined> {
  return app.store.users.findByUsernameKey(pool.id, usernameKey(pool, username));
}

export async function findUserBySub(app: Corral, poolId: string, sub: string): Promise<User | undefined> {
  return app.store.users.findBySub(poolId, sub);
}

/** A user named by username, or by a sign-in alias the pool allows (verified where the pool requires it). */
export async function findUserForSignIn(app: Corral, pool: Pool, identifier: string): Promise<User | undefined> {
  const aliases = signInAttributes(pool).map(({ attribute }) => ({ attribute, valueKey: aliasKey(attribute, identifier) }));
  return app.store.users.findForSignIn(pool.id, usernameKey(pool, identifier), aliases);
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

export interface CreateOptions {
  /** Give the user the sign-in aliases its attributes call for (verified email/phone, preferred_username) at once;
   *  without it only a UsernameAttributes pool's names are claimed (they are unique even before verification). */
  aliases?: boolean;
  /** A verified alias value held by another account moves to the new user (ForceAliasCreation). */
  forceAlias?: boolean;
}

/**
 * Creates a user with its aliases in one transaction. A taken username is UsernameExistsException; a taken alias is
 * UsernameExistsException in a UsernameAttributes pool (it is the name there) and AliasExistsException otherwise.
 */
export async function createUser(app: Corral, pool: Pool, input: NewUser, opts: CreateOptions = {}): Promise<User> {
  const sub = input.sub ?? randomUUID();
  const username = input.username ?? sub;
  const namedByAttribute = !!pool.settings.UsernameAttributes?.length;
  const rules = aliasRules(pool, opts.forceAlias ?? false);
  const result = await app.store.users.create(
    {
      sub,
      poolId: pool.id,
      username,
      usernameKey: usernameKey(pool, username),
      status: input.status,
      enabled: input.enabled !== false,
      attributes: { sub, ...input.attributes },
      srpSalt: input.srpSalt ?? null,
      srpVerifier: input.srpVerifier ?? null,
      now: app.now(),
    },
    namedByAttribute || opts.aliases ? rules : { ...rules, derive: () => [] },
  );
  if (result.ok) return result.user;
  if (result.taken === 'username') throw new UsernameExistsException('User already exists');
  if (namedByAttribute) throw new UsernameExistsException(`An account with the given ${result.taken === 'email' ? 'email' : 'phone_number'} already exists.`);
  throw aliasExists(result.taken);
}

/** What an update changes (storage/users.ts UserChanges): columns, and attributes to set or remove. */
export type UserPatch = UserChanges;

/**
 * Applies a change to the user in one transaction under its row lock, and re-derives its sign-in aliases when its
 * attributes changed. `patch` may be a function of the user as stored at that moment (never of an earlier read):
 * it must not await. An alias value verified on another account is AliasExistsException, unless `forceAlias`,
 * which moves it here (the other account's value becomes unverified).
 */
export async function updateUser(
  app: Corral,
  pool: Pool,
  user: Pick<User, 'sub'>,
  patch: UserPatch | ((fresh: User) => UserPatch),
  forceAlias = false,
): Promise<User> {
  const change = typeof patch === 'function' ? patch : () => patch;
  const result = await app.store.users.update(pool.id, user.sub, change, aliasRules(pool, forceAlias), app.now());
  if (result.ok) return result.user;
  if ('missing' in result) throw new UserNotFoundException('User does not exist.');
  throw aliasExists(result.aliasTaken);
}

/** Throws AliasExistsException when an alias the attributes would give this user is held by another account. */
export async function checkAliasesFree(app: Corral, pool: Pool, sub: string, attributes: Attributes): Promise<void> {
  for (const a of aliasesFor(pool, attributes)) {
    const holder = await app.store.users.aliasHolder(pool.id, a);
    if (holder && holder !== sub) throw aliasExists(a.attribute);
  }
}

function aliasExists(attribute: string): AliasExistsException {
  return new AliasExistsException(`An account with the given ${attribute} already exists.`);
}

export async function deleteUser(app: Corral, user: Pick<User, 'sub'>): Promise<void> {
  await app.store.users.delete(user.sub);
}
