// CUSTOM_AUTH: a sign-in whose steps the pool's DefineAuthChallenge function decides (triggers/auth-challenge.ts).
//   InitiateAuth / AdminInitiateAuth CUSTOM_AUTH (USERNAME [, SRP_A and CHALLENGE_NAME=SRP_A]):
//     without SRP_A: DefineAuthChallenge with an empty session;
//     with SRP_A (amazon-cognito-identity-js with a password, Amplify CUSTOM_WITH_SRP): DefineAuthChallenge with
//       [SRP_A ✓]; when it names PASSWORD_VERIFIER, the client gets the SRP challenge (SALT, SRP_B, SECRET_BLOCK…)
//       and its answer adds PASSWORD_VERIFIER ✓/✗ to the session before DefineAuthChallenge runs again.
//   DefineAuthChallenge's answer: failAuthentication → NotAuthorizedException "Incorrect username or password.";
//     issueTokens → the sign-in completes as every flow does (completeSignIn: new password, MFA, PostAuthentication,
//     tokens); CUSTOM_CHALLENGE → CreateAuthChallenge, and the client gets ChallengeName CUSTOM_CHALLENGE with
//     ChallengeParameters = publicChallengeParameters + USERNAME.
//   RespondToAuthChallenge / AdminRespondToAuthChallenge CUSTOM_CHALLENGE (USERNAME, ANSWER): VerifyAuthChallengeResponse
//     judges the ANSWER; { CUSTOM_CHALLENGE, answerCorrect, challengeMetadata } joins the session; DefineAuthChallenge
//     runs again, and so on.
// The sign-in's state (the session list, the private challenge parameters, who signs in) rides in the Session,
// sealed (encrypted, deflated to fit Cognito's 2048-character Session) and expiring per AuthSessionValidity, so any
// instance can take the next step. Each Session is answered once (spendOnce). A sign-in ends after
// MAX_SESSION_LENGTH steps whatever the functions say (Corral's bound; Cognito documents none).
// A name that matches nobody: UserNotFoundException, or with PreventUserExistenceErrors the functions run with
// userNotFound true and the sign-in can only fail ("Incorrect username or password.").
// ClientMetadata: InitiateAuth passes it to none of the three functions (as Cognito documents); RespondToAuthChallenge
// passes it to all three.
import type { InitiateAuthResponse } from '@aws-sdk/client-cognito-identity-provider';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { InvalidLambdaResponseException, InvalidParameterException, NotAuthorizedException, UserNotFoundException } from '../../errors.js';
import { decrypt, encrypt } from '../../crypto/box.js';
import type { Corral } from '../../runtime/app.js';
import { sessionTtlSeconds, spendOnce } from '../auth-session.js';
import { assertNotLocked } from '../lockout.js';
import type { Client, Pool } from '../pools.js';
import { beginSrp, completeSignIn, type AfterCustomPassword, type SignInStep } from '../sign-in.js';
import { hasTrigger } from '../../triggers/invoke.js';
import {
  createAuthChallenge,
  defineAuthChallenge,
  verifyAuthChallengeResponse,
  type ChallengeResult,
  type ChallengeSubject,
} from '../../triggers/auth-challenge.js';
import { preAuthentication } from '../../triggers/authentication.js';
import { preventsUserExistenceErrors } from '../user-existence.js';
import { findUserBySub, findUserForSignIn } from '../users.js';
import type { ChallengeAnswer } from './tables.js';

const INCORRECT = 'Incorrect username or password.';
const INVALID_SESSION = 'Invalid session for the user.';
export const NOT_CONFIGURED = 'Custom auth lambda trigger is not configured for the user pool.';
/** The most steps (entries of the session list) one custom auth sign-in may take. */
export const MAX_SESSION_LENGTH = 10;
/** Cognito's Session is at most 2048 characters (the model's SessionType). */
const MAX_SESSION_CHARS = 2048;
const PURPOSE = 'seal:custom-auth';

type Step = 'CUSTOM_CHALLENGE' | 'PASSWORD_VERIFIER';

interface CustomAuthState {
  pool: string;
  client: string;
  /** The user's sub; empty for a name that matched nobody (PreventUserExistenceErrors). */
  sub: string;
  /** The username (or, for nobody, the name given). */
  name: string;
  step: Step;
  /** The session list, compact: [challengeName, challengeResult 0/1, challengeMetadata]. */
  list: [string, 0 | 1, string | null][];
  /** CUSTOM_CHALLENGE: CreateAuthChallenge's private parameters and metadata. */
  priv?: Record<string, string>;
  meta?: string | null;
  /** PASSWORD_VERIFIER: the SRP_B of the SECRET_BLOCK this Session goes with. */
  srpB?: string;
}

function sealState(app: Corral, client: Client, state: CustomAuthState): string {
  const exp = Math.floor(app.now() / 1000) + sessionTtlSeconds(client);
  const token = encrypt(app.secrets.serverKey, PURPOSE, deflateRawSync(Buffer.from(JSON.stringify({ p: state, exp }), 'utf8')));
  if (token.length > MAX_SESSION_CHARS) {
    throw new InvalidLambdaResponseException("The custom challenge's parameters are too large to carry in a Session (at most 2048 characters).");
  }
  return token;
}

function openState(app: Corral, pool: Pool, client: Client, session: string | undefined, step: Step): CustomAuthState {
  if (!session) throw new NotAuthorizedException(INVALID_SESSION);
  const plain = decrypt(app.secrets.serverKey, PURPOSE, session);
  if (!plain) throw new NotAuthorizedException(INVALID_SESSION);
  let opened: { p: CustomAuthState; exp: number };
  try {
    opened = JSON.parse(inflateRawSync(plain).toString('utf8')) as { p: CustomAuthState; exp: number };
  } catch {
    throw new NotAuthorizedException(INVALID_SESSION);
  }
  if (opened.exp * 1000 < app.now()) throw new NotAuthorizedException('Invalid session for the user, session is expired.');
  const state = opened.p;
  if (state.pool !== pool.id || state.client !== client.id || state.step !== step) throw new NotAuthorizedException(INVALID_SESSION);
  return state;
}

const toList = (list: CustomAuthState['list']): ChallengeResult[] =>
  list.map(([challengeName, result, challengeMetadata]) => ({ challengeName, challengeResult: result === 1, challengeMetadata }));

function requireDefine(pool: Pool): void {
  if (!hasTrigger(pool, 'DefineAuthChallenge')) throw new InvalidParameterException(NOT_CONFIGURED);
}

interface Round {
  subject: ChallengeSubject;
  list: CustomAuthState['list'];
  clientMetadata?: Record<string, string>;
  /** The SRP challenge InitiateAuth prepared (only right after SRP_A). */
  srp?: InitiateAuthResponse;
}

/** Asks DefineAuthChallenge what comes next, and does it. */
async function nextStep(app: Corral, pool: Pool, client: Client, round: Round): Promise<SignInStep> {
  requireDefine(pool);
  const { subject, list } = round;
  const decision = await defineAuthChallenge(app, pool, client, subject, toList(list), round.clientMetadata);
  if (decision.failAuthentication) throw new NotAuthorizedException(INCORRECT);
  if (decision.issueTokens) {
    // Nobody, or a user deleted meanwhile, never gets tokens; the stored user is read afresh (lockout counters).
    const user = subject.user && (await findUserBySub(app, pool.id, subject.user.sub));
    if (!user) throw new NotAuthorizedException(INCORRECT);
    if (!user.enabled) throw new NotAuthorizedException('User is disabled.');
    return completeSignIn(app, pool, client, user);
  }
  if (list.length >= MAX_SESSION_LENGTH) throw new NotAuthorizedException(INCORRECT);
  const base = { pool: pool.id, client: client.id, sub: subject.user?.sub ?? '', name: subject.user?.username ?? subject.userName, list };
  switch (decision.challengeName) {
    case 'PASSWORD_VERIFIER': {
      // Only right after SRP_A: the SRP challenge InitiateAuth prepared.
      if (!round.srp || list.at(-1)?.[0] !== 'SRP_A')
        throw new InvalidLambdaResponseException('Invalid DefineAuthChallenge response: PASSWORD_VERIFIER must follow SRP_A.');
      const srpB = round.srp.ChallengeParameters?.SRP_B;
      return { ...round.srp, Session: sealState(app, client, { ...base, step: 'PASSWORD_VERIFIER', ...(srpB ? { srpB } : {}) }) };
    }
    case 'CUSTOM_CHALLENGE': {
      if (!hasTrigger(pool, 'CreateAuthChallenge')) throw new InvalidParameterException(NOT_CONFIGURED);
      const created = await createAuthChallenge(app, pool, client, subject, 'CUSTOM_CHALLENGE', toList(list), round.clientMetadata);
      return {
        ChallengeName: 'CUSTOM_CHALLENGE',
        Session: sealState(app, client, { ...base, step: 'CUSTOM_CHALLENGE', priv: created.privateChallengeParameters, meta: created.challengeMetadata }),
        ChallengeParameters: { ...created.publicChallengeParameters, USERNAME: base.name },
      };
    }
    default:
      throw new InvalidLambdaResponseException(
        decision.challengeName
          ? `Invalid DefineAuthChallenge response: Corral does not run the challenge ${decision.challengeName} in a custom auth flow.`
          : 'Invalid DefineAuthChallenge response: no challengeName, and neither issueTokens nor failAuthentication.',
      );
  }
}

/** InitiateAuth / AdminInitiateAuth CUSTOM_AUTH (the action has checked the flow is enabled and the SECRET_HASH). */
export async function beginCustomAuth(app: Corral, pool: Pool, client: Client, params: Record<string, string>): Promise<SignInStep> {
  requireDefine(pool);
  const identifier = params.USERNAME;
  if (!identifier) throw new InvalidParameterException('Missing required parameter USERNAME');
  if (params.CHALLENGE_NAME === 'SRP_A') {
    if (!params.SRP_A) throw new InvalidParameterException('Missing required parameter SRP_A');
    // The SRP start: unknown names, disabled and locked users, PreAuthentication, the SECRET_BLOCK (marked CUSTOM_AUTH).
    const srp = await beginSrp(app, pool, client, identifier, params.SRP_A, 'CUSTOM_AUTH');
    const user = await findUserForSignIn(app, pool, identifier);
    return nextStep(app, pool, client, { subject: { user, userName: identifier }, list: [['SRP_A', 1, null]], srp });
  }
  const user = await findUserForSignIn(app, pool, identifier);
  if (!user && !preventsUserExistenceErrors(client)) throw new UserNotFoundException('User does not exist.');
  if (user) {
    if (!user.enabled) throw new NotAuthorizedException('User is disabled.');
    assertNotLocked(app, user);
  }
  await preAuthentication(app, pool, client, user, identifier);
  return nextStep(app, pool, client, { subject: { user, userName: identifier }, list: [] });
}

/** The user a Session names, and USERNAME naming the same one. */
async function sessionSubject(app: Corral, pool: Pool, state: CustomAuthState, named: string | undefined): Promise<ChallengeSubject> {
  if (!state.sub) {
    if (named !== undefined && named !== state.name) throw new NotAuthorizedException(INVALID_SESSION);
    return { user: undefined, userName: state.name };
  }
  const user = await findUserBySub(app, pool.id, state.sub);
  if (!user) throw new NotAuthorizedException(INVALID_SESSION);
  if (named !== undefined && named !== user.username && (await findUserForSignIn(app, pool, named))?.sub !== user.sub) {
    throw new NotAuthorizedException(INVALID_SESSION);
  }
  if (!user.enabled) throw new NotAuthorizedException('User is disabled.');
  return { user, userName: user.username };
}

/** RespondToAuthChallenge CUSTOM_CHALLENGE: VerifyAuthChallengeResponse judges ANSWER; DefineAuthChallenge decides. */
export const answerCustomChallenge: ChallengeAnswer = async (app, pool, client, input) => {
  const state = openState(app, pool, client, input.Session, 'CUSTOM_CHALLENGE');
  const responses = input.ChallengeResponses ?? {};
  const answer = responses.ANSWER;
  if (answer === undefined) throw new InvalidParameterException('Missing required parameter ANSWER');
  const subject = await sessionSubject(app, pool, state, responses.USERNAME);
  await spendOnce(app, input.Session!, sessionTtlSeconds(client));
  if (!hasTrigger(pool, 'VerifyAuthChallengeResponse')) throw new InvalidParameterException(NOT_CONFIGURED);
  const correct = await verifyAuthChallengeResponse(app, pool, client, subject, state.priv ?? {}, answer, input.ClientMetadata);
  const list: CustomAuthState['list'] = [...state.list, ['CUSTOM_CHALLENGE', correct ? 1 : 0, state.meta ?? null]];
  return nextStep(app, pool, client, { subject, list, clientMetadata: input.ClientMetadata });
};

/**
 * RespondToAuthChallenge PASSWORD_VERIFIER inside a custom auth sign-in: once the password claim is judged
 * (sign-in.ts, which knows the SECRET_BLOCK was issued for CUSTOM_AUTH), PASSWORD_VERIFIER ✓/✗ joins the session
 * the Session carries and DefineAuthChallenge decides.
 */
export function afterCustomPassword(app: Corral, pool: Pool, client: Client, input: Parameters<ChallengeAnswer>[3]): AfterCustomPassword {
  return async ({ user, passwordOk, srpB }) => {
    const state = openState(app, pool, client, input.Session, 'PASSWORD_VERIFIER');
    if (state.srpB !== srpB || state.sub !== (user?.sub ?? '')) throw new NotAuthorizedException(INVALID_SESSION);
    const subject: ChallengeSubject = { user, userName: user?.username ?? state.name };
    const list: CustomAuthState['list'] = [...state.list, ['PASSWORD_VERIFIER', passwordOk ? 1 : 0, null]];
    return nextStep(app, pool, client, { subject, list, clientMetadata: input.ClientMetadata });
  };
}
