// ID, access and refresh tokens, with Cognito's claims (cognito-wire.md §5).
//
// API:
//   mintTokens(app, { pool, client, user, groups?, roles?, preferredRole?, authTime, originJti?, deviceKey?, eventId? })
//       → { IdToken, AccessToken, ExpiresIn, TokenType: 'Bearer' }
//     RS256, signed with the pool's ID and access keys (crypto/signing-keys.ts); lifetimes from the client
//     (tokenLifetimes). `authTime` is epoch SECONDS (the auth_time claim). On a refresh pass the record's authTime
//     and originJti so they keep their first values.
//   verifyAccessToken(app, token, { poolId? }) → AccessTokenClaims
//     NotAuthorizedException 'Invalid Access Token' (malformed, bad signature, unknown/expired key, wrong issuer,
//     token_use or pool), 'Access Token has expired', 'Access Token has been revoked' (its refresh token — same
//     origin_jti — was revoked, or it predates the user's tokens_valid_after). Does not require the user to exist:
//     the caller looks the user up and answers for a missing one.
//   verifyIdToken(app, token, { poolId?, clientId? }) → IdTokenClaims    same checks for an ID token (messages say
//     'Invalid Id Token' / 'Id Token has expired'); for identity pools' Logins. No revocation check (as Cognito).
//   issueRefreshToken(app, { pool, client, user, authTime, originJti, deviceKey? }) → string   opaque, stored hashed
//   redeemRefreshToken(app, token, clientId) → RefreshTokenRecord
//     NotAuthorizedException 'Invalid Refresh Token' (unknown, or another client's), 'Refresh Token has expired',
//     'Refresh Token has been revoked' (revoked, or issued before the user's tokens_valid_after);
//     UserNotFoundException 'User does not exist.' when its user was deleted (as Cognito answers: its refresh tokens
//     are JWEs that name the user; ours carry the pool and sub encrypted with the server key for the same reason).
//   isJwt(token) → boolean   shaped like a JWT (an ID or access token): RevokeToken refuses those.
//   revokeRefreshToken(app, token, clientId) → RefreshTokenRecord | undefined   RevokeToken: the refresh token and
//     every token of its sign-in (same origin_jti). undefined when unknown / another client's.
//   revokeAllForUser(app, poolId, sub) → number   GlobalSignOut / AdminUserGlobalSignOut (with tokens_valid_after).
import { randomBytes, randomUUID } from 'node:crypto';
import { NotAuthorizedException, UserNotFoundException } from '../errors.js';
import { decrypt, encrypt, keyedHash } from '../crypto/box.js';
import { currentKey, decodeJwt, keyByKid, signJwt, verifyJwtSignature, type KeyUse } from '../crypto/signing-keys.js';
import type { Corral } from '../runtime/app.js';
import { tokenLifetimes } from './clients.js';
import type { Client, Pool } from './pools.js';
import type { AccessContext, RefreshTokenRow, RevocationState } from '../storage/tokens.js';
import type { User } from '../storage/users.js';
import { preTokenGeneration, type TokenGenerationSource } from '../triggers/pre-token-generation.js';

/** The user as tokens see it (a `User` from users.ts fits). */
export interface TokenSubject {
  sub: string;
  username: string;
  /** All attribute values as strings (`email_verified`: "true"/"false"). */
  attributes: Record<string, string>;
}

export interface MintInput {
  pool: Pool;
  client: Client;
  user: TokenSubject;
  /** Group names, by precedence (cognito:groups; omitted when empty). */
  groups?: string[];
  /** Role ARNs of those groups (cognito:roles) and the preferred one (cognito:preferred_role). */
  roles?: string[];
  preferredRole?: string;
  /** Epoch seconds of the authentication. */
  authTime: number;
  /** One per sign-in, kept across refreshes; a new one when absent. */
  originJti?: string;
  deviceKey?: string;
  eventId?: string;
  /** The PreTokenGeneration triggerSource (default TokenGeneration_Authentication). */
  tokenSource?: TokenGenerationSource;
  /** The access token's `scope` claim (OAuth sign-ins: the granted scopes); default aws.cognito.signin.user.admin. */
  scope?: string;
  /** A refresh whose sign-in's OAuth scopes were read already (with the refresh token: `scope`, undefined when it
   *  had none); otherwise a refresh reads them. */
  scopeRead?: boolean;
  /** Extra ID token claims (OAuth: `nonce`). */
  idClaims?: Record<string, unknown>;
}

export interface AuthTokens {
  IdToken: string;
  AccessToken: string;
  ExpiresIn: number;
  TokenType: 'Bearer';
}

interface CommonClaims {
  sub: string;
  iss: string;
  origin_jti: string;
  event_id: string;
  auth_time: number;
  exp: number;
  iat: number;
  jti: string;
  'cognito:groups'?: string[];
  [claim: string]: unknown;
}

export interface AccessTokenClaims extends CommonClaims {
  token_use: 'access';
  client_id: string;
  scope: string;
  username: string;
  version?: number;
  device_key?: string;
}

export interface IdTokenClaims extends CommonClaims {
  token_use: 'id';
  aud: string;
  'cognito:username': string;
}

export const ACCESS_SCOPE = 'aws.cognito.signin.user.admin';
const BOOLEAN_ATTRIBUTES = new Set(['email_verified', 'phone_number_verified']);

export function issuer(app: Corral, poolId: string): string {
  return `${app.config.publicUrl}/${poolId}`;
}

function idTokenAttributes(client: Client, attributes: Record<string, string>): Record<string, unknown> {
  const readable = client.settings.ReadAttributes?.length ? new Set(client.settings.ReadAttributes) : undefined;
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(attributes)) {
    if (name === 'sub' || (readable && !readable.has(name))) continue;
    out[name] = BOOLEAN_ATTRIBUTES.has(name) ? value === 'true' : name === 'identities' ? identitiesClaim(value) : value;
  }
  return out;
}

/** The `identities` attribute (a JSON string) as Cognito puts it in ID tokens: a list, its values as strings. */
function identitiesClaim(value: string): unknown {
  try {
    const list = JSON.parse(value) as Record<string, unknown>[];
    if (!Array.isArray(list)) return value;
    return list.map((i) => ({ ...i, primary: String(i.primary), dateCreated: String(i.dateCreated) }));
  } catch {
    return value;
  }
}

export async function mintTokens(app: Corral, input: MintInput): Promise<AuthTokens> {
  const { pool, client, user } = input;
  const life = tokenLifetimes(client);
  const iat = Math.floor(app.now() / 1000);
  const common = {
    iss: issuer(app, pool.id),
    origin_jti: input.originJti ?? randomUUID(),
    event_id: input.eventId ?? randomUUID(),
    auth_time: input.authTime,
    iat,
  };
  const groups = input.groups?.length ? { 'cognito:groups': input.groups } : {};
  const roles = {
    ...(input.roles?.length ? { 'cognito:roles': input.roles } : {}),
    ...(input.preferredRole ? { 'cognito:preferred_role': input.preferredRole } : {}),
  };
  const idClaims = {
    sub: user.sub,
    ...groups,
    ...roles,
    ...idTokenAttributes(client, user.attributes),
    ...input.idClaims,
    ...common,
    'cognito:username': user.username,
    aud: client.id,
    token_use: 'id',
    exp: iat + life.id,
    jti: randomUUID(),
  };
  // A refreshed OAuth sign-in keeps the scopes it was granted (recorded by domain/oauth/sessions.ts).
  const scope =
    input.scope ??
    (input.tokenSource === 'TokenGeneration_RefreshTokens' && input.originJti && !input.scopeRead ? await oauthScope(app, input.originJti) : undefined);
  // `version: 2` is in the access tokens of the OAuth endpoints (real hosted-UI tokens, scope "… openid profile", carry
  // it); those of the API's sign-ins (InitiateAuth, RespondToAuthChallenge, their refresh) have none.
  const oauth = input.tokenSource === 'TokenGeneration_HostedAuth' || scope !== undefined;
  const accessClaims = {
    sub: user.sub,
    ...groups,
    ...(input.deviceKey ? { device_key: input.deviceKey } : {}),
    ...common,
    client_id: client.id,
    token_use: 'access',
    scope: scope ?? ACCESS_SCOPE,
    exp: iat + life.access,
    jti: randomUUID(),
    username: user.username,
    ...(oauth ? { version: 2 } : {}),
  };
  // The pool's PreTokenGeneration trigger may reshape both (never the reserved claims).
  const shaped = await preTokenGeneration(app, { pool, client, user, source: input.tokenSource ?? 'TokenGeneration_Authentication', idClaims, accessClaims });
  const [idKey, accessKey] = await Promise.all([currentKey(app, pool.id, 'id'), currentKey(app, pool.id, 'access')]);
  return { IdToken: signJwt(idKey, shaped.idClaims), AccessToken: signJwt(accessKey, shaped.accessClaims), ExpiresIn: life.access, TokenType: 'Bearer' };
}

async function oauthScope(app: Corral, originJti: string): Promise<string | undefined> {
  return app.store.oauth.sessionScope(originJti);
}

type Checked<T> = { ok: true; claims: T } | { ok: false; reason: 'invalid' | 'expired' };

/** Signature, key, issuer, token_use and expiry of a token of `use`. */
async function check<T extends CommonClaims>(app: Corral, token: string, use: KeyUse, poolId: string | undefined): Promise<Checked<T>> {
  const jwt = decodeJwt(token);
  if (!jwt) return { ok: false, reason: 'invalid' };
  const key = await keyByKid(app, jwt.kid);
  if (!key || key.use !== use || (poolId !== undefined && key.poolId !== poolId)) return { ok: false, reason: 'invalid' };
  if (!verifyJwtSignature(jwt, key.publicKey)) return { ok: false, reason: 'invalid' };
  const c = jwt.payload as Partial<T> & Record<string, unknown>;
  if (c.iss !== issuer(app, key.poolId) || c.token_use !== use || typeof c.sub !== 'string' || typeof c.exp !== 'number' || typeof c.iat !== 'number') {
    return { ok: false, reason: 'invalid' };
  }
  if (c.exp * 1000 <= app.now()) return { ok: false, reason: 'expired' };
  return { ok: true, claims: c as T };
}

/** The pool id of a verified token (the last path segment of its issuer). */
export function poolIdOf(claims: { iss: string }): string {
  return claims.iss.slice(claims.iss.lastIndexOf('/') + 1);
}

/** Signature, expiry and the claims an access token must carry (not yet its revocation). */
async function checkAccessToken(app: Corral, token: string, poolId: string | undefined): Promise<AccessTokenClaims> {
  const r = await check<AccessTokenClaims>(app, token, 'access', poolId);
  if (!r.ok) throw new NotAuthorizedException(r.reason === 'expired' ? 'Access Token has expired' : 'Invalid Access Token');
  const c = r.claims;
  if (typeof c.origin_jti !== 'string' || typeof c.client_id !== 'string') throw new NotAuthorizedException('Invalid Access Token');
  return c;
}

export async function verifyAccessToken(app: Corral, token: string, opts: { poolId?: string } = {}): Promise<AccessTokenClaims> {
  const c = await checkAccessToken(app, token, opts.poolId);
  if (revoked(await app.store.tokens.revocationState(poolIdOf(c), c.sub, c.origin_jti), c.iat))
    throw new NotAuthorizedException('Access Token has been revoked');
  return c;
}

/**
 * verifyAccessToken, reading in the same query what the call goes on to need: the user the token names, the user's
 * pool and the token's client (`context` undefined when there is no such user: the caller answers for that).
 */
export async function verifyAccessTokenInContext(app: Corral, token: string): Promise<{ claims: AccessTokenClaims; context: AccessContext | undefined }> {
  const c = await checkAccessToken(app, token, undefined);
  const context = await app.store.tokens.accessContext(poolIdOf(c), c.sub, c.origin_jti, c.client_id);
  if (revoked(context?.state, c.iat)) throw new NotAuthorizedException('Access Token has been revoked');
  return { claims: c, context };
}

/** Revoked when its sign-in's refresh token was revoked, or the sign-in predates the user's tokens_valid_after. */
function revoked(state: RevocationState | undefined, iat: number): boolean {
  if (!state) return false; // no such user: the caller answers for that
  if (state.revoked) return true;
  // The refresh token's creation time is exact (ms); without one, iat (s) is compared strictly: a token from the
  // same second as a global sign-out counts as older.
  return (state.issuedAt ?? iat * 1000) < state.validAfter;
}

export async function verifyIdToken(app: Corral, token: string, opts: { poolId?: string; clientId?: string } = {}): Promise<IdTokenClaims> {
  const r = await check<IdTokenClaims>(app, token, 'id', opts.poolId);
  if (!r.ok) throw new NotAuthorizedException(r.reason === 'expired' ? 'Id Token has expired' : 'Invalid Id Token');
  if (opts.clientId !== undefined && r.claims.aud !== opts.clientId) throw new NotAuthorizedException('Invalid Id Token');
  return r.claims;
}

// ---------------------------------------------------------------------------------------------------------------
// Refresh tokens: opaque random strings, stored only as a keyed hash.

/** A refresh token as stored (storage/tokens.ts), with `authTime` in epoch SECONDS (the auth_time claim). */
export type RefreshTokenRecord = Omit<RefreshTokenRow, 'tokenHash' | 'authTime'> & { authTime: number };
/** A refresh token as redeemed: with its user as stored now and its sign-in's OAuth scopes (read with it). */
export type RedeemedRefreshToken = RefreshTokenRecord & { user: User; oauthScope: string | null };

const REFRESH_PURPOSE = 'refresh-token';
const OWNER_PURPOSE = 'refresh-token-owner';
const hashOf = (app: Corral, token: string) => keyedHash(app.secrets.serverKey, REFRESH_PURPOSE, token);

/** Shaped like a JWT (header.payload.signature, the header starting `{"`): an ID or access token, never ours. */
export function isJwt(token: string): boolean {
  return /^eyJ[\w-]*\.[\w-]+\.[\w-]+$/.test(token);
}

/** The pool and sub a refresh token was issued to, read from the token itself (undefined: not one of ours). */
function ownerOf(app: Corral, token: string): { poolId: string; sub: string } | undefined {
  const dot = token.indexOf('.');
  if (dot < 0) return undefined;
  const plain = decrypt(app.secrets.serverKey, OWNER_PURPOSE, token.slice(dot + 1));
  if (!plain) return undefined;
  try {
    const { p, s } = JSON.parse(plain.toString('utf8')) as { p?: unknown; s?: unknown };
    return typeof p === 'string' && typeof s === 'string' ? { poolId: p, sub: s } : undefined;
  } catch {
    return undefined;
  }
}

export interface IssueRefreshInput {
  pool: Pool;
  client: Client;
  user: { sub: string; username: string };
  authTime: number;
  originJti: string;
  deviceKey?: string;
  /** The challenge answer spent with this token (auth-session.ts DeferredSpend): refused when spent already. */
  spentSession?: string;
}

export async function issueRefreshToken(app: Corral, input: IssueRefreshInput): Promise<string> {
  // Random, followed by its owner encrypted (so that a deleted user's token can be told from an unknown one).
  const owner = encrypt(app.secrets.serverKey, OWNER_PURPOSE, JSON.stringify({ p: input.pool.id, s: input.user.sub }));
  const token = `${randomBytes(96).toString('base64url')}.${owner}`;
  const now = app.now();
  const stored = await app.store.tokens.insert({
    tokenHash: hashOf(app, token),
    poolId: input.pool.id,
    clientId: input.client.id,
    sub: input.user.sub,
    username: input.user.username,
    originJti: input.originJti,
    authTime: input.authTime * 1000,
    createdAt: now,
    expiresAt: now + tokenLifetimes(input.client).refresh * 1000,
    deviceKey: input.deviceKey ?? null,
    spentSession: input.spentSession ?? null,
  });
  if (!stored) throw new NotAuthorizedException('Invalid session for the user.');
  return token;
}

async function findRefresh(app: Corral, token: string): Promise<(RedeemedRefreshToken & { validAfter: number }) | undefined> {
  if (typeof token !== 'string' || token.length === 0 || token.length > 4096) return undefined;
  const row = await app.store.tokens.findByHash(hashOf(app, token));
  if (!row) return undefined;
  const { tokenHash: _, authTime, ...rest } = row;
  return { ...rest, authTime: Math.floor(authTime / 1000) };
}

export async function redeemRefreshToken(app: Corral, token: string, clientId: string): Promise<RedeemedRefreshToken> {
  const found = await findRefresh(app, token);
  if (!found) {
    const owner = typeof token === 'string' && token.length <= 4096 ? ownerOf(app, token) : undefined;
    if (owner && !(await app.store.users.findBySub(owner.poolId, owner.sub))) throw new UserNotFoundException('User does not exist.');
  }
  if (!found || found.clientId !== clientId) throw new NotAuthorizedException('Invalid Refresh Token');
  const { validAfter, ...record } = found;
  if (record.revokedAt !== null || record.createdAt < validAfter) throw new NotAuthorizedException('Refresh Token has been revoked');
  if (record.expiresAt <= app.now()) throw new NotAuthorizedException('Refresh Token has expired');
  return record;
}

export async function revokeRefreshToken(app: Corral, token: string, clientId: string): Promise<RefreshTokenRecord | undefined> {
  const found = await findRefresh(app, token);
  if (!found || found.clientId !== clientId) return undefined;
  const now = app.now();
  await app.store.tokens.revokeSignIn(found.sub, found.originJti, now);
  const { validAfter: _, user: _user, oauthScope: _scope, ...record } = found;
  return { ...record, revokedAt: record.revokedAt ?? now };
}

export async function revokeAllForUser(app: Corral, poolId: string, sub: string): Promise<number> {
  return app.store.tokens.revokeAllForUser(poolId, sub, app.now());
}
