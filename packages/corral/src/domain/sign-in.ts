// The sign-in flows of InitiateAuth / RespondToAuthChallenge: SRP (two steps), plain password, refresh.
// Each ends in `completeSignIn`, which applies the checks every flow shares and mints the tokens.
import type { AuthenticationResultType, InitiateAuthResponse, RespondToAuthChallengeResponse } from '@aws-sdk/client-cognito-identity-provider';
import { randomUUID } from 'node:crypto';
import {
  InvalidParameterException,
  NotAuthorizedException,
  PasswordResetRequiredException,
  UserNotConfirmedException,
  UserNotFoundException,
} from '../errors.js';
import { seal, strictBase64, unseal } from '../crypto/box.js';
import { checkPassword, fakeSaltAndB, fakeVerifier, startSrp, validTimestamp, verifyClaim } from '../crypto/srp.js';
import type { Corral } from '../runtime/app.js';
import { assertUnspent, deferSpend, sessionTtlSeconds, spendOnce, type DeferredSpend } from './auth-session.js';
import { checkSecretHash } from './client-auth.js';
import { requiredParam } from './auth-params.js';
import { assertNotLocked, recordFailure, recordSuccess, wrongPassword } from './lockout.js';
import { passwordMatches, srpPoolName, userVerifier } from './passwords.js';
import type { Client, Pool } from './pools.js';
import { issueRefreshToken, mintTokens, redeemRefreshToken } from './tokens.js';
import { tokenGroups } from './groups.js';
import { decoyWrites, preventsUserExistenceErrors } from './user-existence.js';
import { pendingChallenges } from './challenges/tables.js';
import { deviceAtSignIn } from './devices.js';
import { findUserBySub, findUserForSignIn, usernameKey, type User } from './users.js';
import { postAuthentication, preAuthentication, type TokenGenerationSource } from '../triggers/index.js';
import { migrateOnSignIn } from './user-migration.js';
import { hasTrigger } from '../triggers/invoke.js';

const INCORRECT = 'Incorrect username or password.';
const SECRET_BLOCK_PURPOSE = 'srp-secret-block';

interface SrpState {
  poolId: string;
  clientId: string;
  /** Empty for a user that does not exist (PreventUserExistenceErrors). */
  sub: string;
  username: string;
  srpA: string;
  srpB: string;
  b: string;
  /** 'CUSTOM_AUTH' when the SRP steps run inside a custom auth sign-in (challenges/custom-auth.ts). */
  flow?: 'CUSTOM_AUTH';
}

/** Where a custom auth sign-in goes on once the password claim is judged (challenges/custom-auth.ts). */
export type AfterCustomPassword = (result: { user: User | undefined; passwordOk: boolean; srpB: string }) => Promise<SignInStep>;

function unknownUser(client: Client): never {
  if (preventsUserExistenceErrors(client)) throw new NotAuthorizedException(INCORRECT);
  throw new UserNotFoundException('User does not exist.');
}

/** Checks that apply before any password is tried. */
function assertMaySignIn(app: Corral, user: User): void {
  if (!user.enabled) throw new NotAuthorizedException('User is disabled.');
  assertNotLocked(app, user);
}

/** A user with no password at all (imported, or migrated without one): RESET_REQUIRED users are told to reset it
 *  whatever they typed (Cognito's answer to an imported user), and no failure is counted: no guess can be right. */
function withoutPassword(user: User): never {
  if (user.status === 'RESET_REQUIRED') throw new PasswordResetRequiredException('Password reset required for the user');
  incorrect();
}

function incorrect(): never {
  throw new NotAuthorizedException(INCORRECT);
}

/** InitiateAuth USER_SRP_AUTH → the PASSWORD_VERIFIER challenge. */
export async function beginSrp(app: Corral, pool: Pool, client: Client, identifier: string, srpA: string, flow?: 'CUSTOM_AUTH'): Promise<InitiateAuthResponse> {
  const user = await findUserForSignIn(app, pool, identifier);
  if (!user && !preventsUserExistenceErrors(client)) unknownUser(client);
  if (user) assertMaySignIn(app, user);
  await preAuthentication(app, pool, client, user, identifier);
  const verifier = user ? userVerifier(app, user) : undefined;
  if (user && !verifier) withoutPassword(user);
  const start = verifier
    ? { ...startSrp(verifier.verifier, srpA), salt: verifier.salt }
    : fakeSaltAndB(app.secrets.serverKey, pool.id, usernameKey(pool, identifier), srpA);
  if (!start?.srpB || !start.b) throw new InvalidParameterException('SRP_A is not a valid SRP value.');
  const username = user?.username ?? identifier;
  const state: SrpState = {
    poolId: pool.id,
    clientId: client.id,
    sub: user?.sub ?? '',
    username,
    srpA,
    srpB: start.srpB,
    b: start.b.toString('hex'),
    ...(flow ? { flow } : {}),
  };
  const secretBlock = Buffer.from(seal(app.secrets.serverKey, SECRET_BLOCK_PURPOSE, state, sessionTtlSeconds(client), app.now())).toString('base64');
  return {
    ChallengeName: 'PASSWORD_VERIFIER',
    ChallengeParameters: {
      SALT: start.salt.toString('hex'),
      SRP_B: start.srpB,
      SECRET_BLOCK: secretBlock,
      USERNAME: username,
      USER_ID_FOR_SRP: username,
    },
  };
}

/** RespondToAuthChallenge PASSWORD_VERIFIER: checks the password claim, then completes the sign-in. */
export async function answerPasswordVerifier(
  app: Corral,
  pool: Pool,
  client: Client,
  responses: Record<string, string>,
  custom?: AfterCustomPassword,
): Promise<SignInStep> {
  const secretBlock = requiredParam(responses, 'PASSWORD_CLAIM_SECRET_BLOCK');
  const signature = requiredParam(responses, 'PASSWORD_CLAIM_SIGNATURE');
  const timestamp = requiredParam(responses, 'TIMESTAMP');
  // Only the block as it was sent (strictBase64): single use is keyed on its spelling.
  const opened = unseal<SrpState>(app.secrets.serverKey, SECRET_BLOCK_PURPOSE, strictBase64(secretBlock)?.toString('utf8') ?? '', app.now());
  if (!opened.ok)
    throw new NotAuthorizedException(opened.reason === 'expired' ? 'Invalid session for the user, session is expired.' : 'Invalid session for the user.');
  const state = opened.payload;
  if (state.clientId !== client.id || state.poolId !== pool.id) throw new NotAuthorizedException('Invalid session for the user.');
  // A custom auth sign-in's SRP steps never end in tokens by themselves: DefineAuthChallenge decides.
  const customFlow = state.flow === 'CUSTOM_AUTH' ? custom : undefined;
  if (state.flow === 'CUSTOM_AUTH' && !customFlow) throw new NotAuthorizedException('Invalid session for the user.');
  // Spent once: a custom auth round at once; a plain sign-in with the refresh token it ends in, or else when it
  // fails or goes on to another challenge (auth-session.ts DeferredSpend: one write on the way to the tokens).
  const spend = deferSpend(app, secretBlock, sessionTtlSeconds(client));
  if (customFlow) await spendOnce(app, spend.token, spend.ttlSeconds);
  else await assertUnspent(app, spend);
  const claim = (userIdForSrp: string, verifier: { salt: Buffer; verifier: Buffer }) =>
    verifyClaim({
      poolName: srpPoolName(pool.id),
      userIdForSrp,
      ...verifier,
      srpA: state.srpA,
      srpB: state.srpB,
      b: Buffer.from(state.b, 'hex'),
      secretBlock,
      timestamp,
      signature,
    });
  const judged = async (): Promise<SignInStep> => {
    if (!validTimestamp(timestamp)) throw new NotAuthorizedException(INCORRECT);
    // Read right before the claim is checked: the lockout verdict is on the user as stored now (lockout.ts).
    const user = state.sub ? await findUserBySub(app, pool.id, state.sub) : await app.store.users.findBySub(pool.id, '');
    // USERNAME (the username, or the alias signed in with) must name the user the secret block was made for.
    const named = responses.USERNAME;
    const namesAnother = user
      ? named !== undefined && named !== user.username && (await findUserForSignIn(app, pool, named))?.sub !== user.sub
      : named !== undefined && usernameKey(pool, named) !== usernameKey(pool, state.username);
    if (namesAnother) throw new NotAuthorizedException('Invalid session for the user.');
    if (!user) {
      // Nobody by that name (PreventUserExistenceErrors): the same read and the same modexps as for a real user,
      // against the fake verifier its SRP_B was made from, so neither the answer nor its timing tells.
      claim(state.username, fakeVerifier(app.secrets.serverKey, pool.id, usernameKey(pool, state.username)));
      await decoyWrites(app, 1); // what counting a real user's failure writes (user-existence.ts)
      return customFlow ? customFlow({ user: undefined, passwordOk: false, srpB: state.srpB }) : incorrect();
    }
    assertMaySignIn(app, user);
    const verifier = userVerifier(app, user);
    const ok = !!verifier && claim(user.username, verifier);
    if (customFlow) {
      if (!ok) await recordFailure(app, user);
      return customFlow({ user, passwordOk: ok, srpB: state.srpB });
    }
    if (!ok) await wrongPassword(app, user, INCORRECT);
    return completeSignIn(app, pool, client, user, undefined, spend);
  };
  if (customFlow) return judged();
  try {
    return await judged();
  } catch (err) {
    // Refused: the answer is spent all the same (quietly: the refusal is the answer).
    await app.store.spentSessions.spend(spend.hash, app.now() + spend.ttlSeconds * 1000);
    throw err;
  }
}

/** InitiateAuth USER_PASSWORD_AUTH: the password checked against the SRP verifier. */
export async function passwordSignIn(app: Corral, pool: Pool, client: Client, identifier: string, password: string): Promise<SignInStep> {
  const user = await findUserForSignIn(app, pool, identifier);
  if (!user) {
    const migrated = await migrateOnSignIn(app, pool, client, identifier, password);
    if (migrated) return completeSignIn(app, pool, client, migrated);
    if (preventsUserExistenceErrors(client)) await preAuthentication(app, pool, client, undefined, identifier);
    // The same work as for a real user, so the answer's timing does not tell that the user is unknown.
    const fake = fakeVerifier(app.secrets.serverKey, pool.id, usernameKey(pool, identifier));
    checkPassword(srpPoolName(pool.id), identifier, password, fake.salt, fake.verifier);
    if (preventsUserExistenceErrors(client)) await decoyWrites(app, 1); // what counting a real user's failure writes
    unknownUser(client);
  }
  assertMaySignIn(app, user);
  await preAuthentication(app, pool, client, user, identifier);
  // Judged on the user as stored after the trigger (lockout.ts): a lock taken meanwhile holds. Without a trigger
  // nothing ran since the read (no I/O, no wait): the user just read is the user as stored after it.
  const current = hasTrigger(pool, 'PreAuthentication') ? ((await findUserBySub(app, pool.id, user.sub)) ?? incorrect()) : user;
  assertMaySignIn(app, current);
  if (!userVerifier(app, current)) withoutPassword(current);
  if (!passwordMatches(app, pool, current, password)) await wrongPassword(app, current, INCORRECT);
  return completeSignIn(app, pool, client, current);
}

/** What InitiateAuth / RespondToAuthChallenge answer: tokens, or the next challenge with its sealed Session. */
export type SignInStep = RespondToAuthChallengeResponse;

/**
 * What every flow does once the password is proven: the status checks, then the first challenge the user still
 * owes (domain/challenges: new password, MFA, …), else the tokens.
 */
export async function completeSignIn(
  app: Corral,
  pool: Pool,
  client: Client,
  user: User,
  source?: TokenGenerationSource,
  spend?: DeferredSpend,
): Promise<SignInStep> {
  await recordSuccess(app, user);
  if (user.status === 'UNCONFIRMED') throw new UserNotConfirmedException('User is not confirmed.');
  if (user.status === 'RESET_REQUIRED') throw new PasswordResetRequiredException('Password reset required for the user');
  for (const owed of pendingChallenges) {
    const step = await owed(app, pool, client, user);
    if (!step) continue;
    if (spend) await spendOnce(app, spend.token, spend.ttlSeconds);
    return step;
  }
  return { AuthenticationResult: await issueTokens(app, pool, client, user, source, spend?.hash), ChallengeParameters: {} };
}

/** A new sign-in's tokens: ID and access tokens plus a refresh token, all sharing one origin_jti. */
/** `spentSession`: the challenge answer spent with the refresh token (a replay of it is refused here). */
export async function issueTokens(
  app: Corral,
  pool: Pool,
  client: Client,
  user: User,
  source?: TokenGenerationSource,
  spentSession?: string,
): Promise<AuthenticationResultType> {
  await postAuthentication(app, pool, client, user);
  const authTime = Math.floor(app.now() / 1000);
  const originJti = randomUUID();
  // Remembered devices (devices.ts): the device key the tokens carry, and NewDeviceMetadata for a new device.
  const { deviceKey, NewDeviceMetadata } = await deviceAtSignIn(app, pool, user);
  const tokens = await mintTokens(app, { pool, client, user, ...(await tokenGroups(app, user)), authTime, originJti, deviceKey, tokenSource: source });
  const RefreshToken = await issueRefreshToken(app, { pool, client, user, authTime, originJti, deviceKey, spentSession });
  return { ...tokens, RefreshToken, ...(NewDeviceMetadata ? { NewDeviceMetadata } : {}) };
}

/** REFRESH_TOKEN_AUTH / GetTokensFromRefreshToken: new ID and access tokens; auth_time and origin_jti carry over. */
export async function refreshSignIn(
  app: Corral,
  pool: Pool,
  client: Client,
  refreshToken: string,
  /** REFRESH_TOKEN_AUTH's SECRET_HASH (over the internal username, as Cognito computes it); null when the caller
   *  proved the client otherwise (GetTokensFromRefreshToken's ClientSecret). */
  secretHash: string | undefined | null,
): Promise<AuthenticationResultType> {
  const record = await redeemRefreshToken(app, refreshToken, client.id);
  if (secretHash !== null) checkSecretHash(client, record.username, secretHash);
  // The user as stored now, read with the token (a user of another pool than the client's is none of this pool's).
  const user = record.user.poolId === pool.id ? record.user : undefined;
  if (!user) throw new NotAuthorizedException('Refresh Token has been revoked');
  if (!user.enabled) throw new NotAuthorizedException('User is disabled.');
  return mintTokens(app, {
    pool,
    client,
    user,
    ...(await tokenGroups(app, user)),
    authTime: record.authTime,
    originJti: record.originJti,
    deviceKey: record.deviceKey ?? undefined,
    tokenSource: 'TokenGeneration_RefreshTokens',
    scope: record.oauthScope ?? undefined,
    scopeRead: true,
  });
}
