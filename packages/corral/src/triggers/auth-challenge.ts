// The custom authentication triggers (CUSTOM_AUTH), each called as Cognito calls it:
//   DefineAuthChallenge_Authentication         request { userAttributes, session: [ChallengeResult…], clientMetadata,
//                                                userNotFound? } → response { challengeName, issueTokens, failAuthentication }
//   CreateAuthChallenge_Authentication         request { userAttributes, challengeName, session, clientMetadata,
//                                                userNotFound? } → response { publicChallengeParameters,
//                                                privateChallengeParameters, challengeMetadata }
//   VerifyAuthChallengeResponse_Authentication request { userAttributes, privateChallengeParameters, challengeAnswer,
//                                                clientMetadata, userNotFound? } → response { answerCorrect }
// ChallengeResult is { challengeName, challengeResult, challengeMetadata } (cognito-wire.md §7). userNotFound is
// present only for a name that matches no user in a client with PreventUserExistenceErrors.
// Parameter maps are string → string: numbers and booleans become strings (as Lambda's JSON binding does), null
// values are left out, anything else is InvalidLambdaResponseException.
import { InvalidLambdaResponseException } from '../errors.js';
import type { Corral } from '../runtime/app.js';
import type { Client, Pool } from '../storage/pools.js';
import type { User } from '../storage/users.js';
import { invokeTrigger } from './invoke.js';
import { userEventAttributes } from './post-confirmation.js';

export interface ChallengeResult {
  challengeName: string;
  challengeResult: boolean;
  challengeMetadata: string | null;
}

/** Who is signing in: a stored user, or (PreventUserExistenceErrors) the name that matched nobody. */
export interface ChallengeSubject {
  user: User | undefined;
  userName: string;
}

export interface DefineAnswer {
  challengeName?: string;
  issueTokens: boolean;
  failAuthentication: boolean;
}

export interface CreatedChallenge {
  publicChallengeParameters: Record<string, string>;
  privateChallengeParameters: Record<string, string>;
  challengeMetadata: string | null;
}

function common(subject: ChallengeSubject, clientMetadata: Record<string, string> | undefined): Record<string, unknown> {
  return {
    userAttributes: subject.user ? userEventAttributes(subject.user) : {},
    clientMetadata: clientMetadata ?? {},
    ...(subject.user ? {} : { userNotFound: true }),
  };
}

function bad(trigger: string, what: string): never {
  throw new InvalidLambdaResponseException(`Invalid ${trigger} response: ${what}`);
}

function stringMap(trigger: string, field: string, value: unknown): Record<string, string> {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) bad(trigger, `${field} must be a map of strings.`);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (v === null || v === undefined) continue;
    if (typeof v === 'string') out[k] = v;
    else if (typeof v === 'number' || typeof v === 'boolean') out[k] = String(v);
    else bad(trigger, `${field}.${k} must be a string.`);
  }
  return out;
}

function flag(trigger: string, field: string, value: unknown): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value !== 'boolean') bad(trigger, `${field} must be a boolean.`);
  return value;
}

export async function defineAuthChallenge(
  app: Corral,
  pool: Pool,
  client: Client,
  subject: ChallengeSubject,
  session: ChallengeResult[],
  clientMetadata?: Record<string, string>,
): Promise<DefineAnswer> {
  const response = await invokeTrigger(app, pool, {
    trigger: 'DefineAuthChallenge',
    source: 'DefineAuthChallenge_Authentication',
    userName: subject.user?.username ?? subject.userName,
    clientId: client.id,
    request: { ...common(subject, clientMetadata), session },
  });
  const r = response ?? {};
  const name = r.challengeName;
  if (name !== undefined && name !== null && typeof name !== 'string') bad('DefineAuthChallenge', 'challengeName must be a string.');
  return {
    ...(name ? { challengeName: name as string } : {}),
    issueTokens: flag('DefineAuthChallenge', 'issueTokens', r.issueTokens),
    failAuthentication: flag('DefineAuthChallenge', 'failAuthentication', r.failAuthentication),
  };
}

export async function createAuthChallenge(
  app: Corral,
  pool: Pool,
  client: Client,
  subject: ChallengeSubject,
  challengeName: string,
  session: ChallengeResult[],
  clientMetadata?: Record<string, string>,
): Promise<CreatedChallenge> {
  const response = await invokeTrigger(app, pool, {
    trigger: 'CreateAuthChallenge',
    source: 'CreateAuthChallenge_Authentication',
    userName: subject.user?.username ?? subject.userName,
    clientId: client.id,
    request: { ...common(subject, clientMetadata), challengeName, session },
  });
  const r = response ?? {};
  const metadata = r.challengeMetadata;
  if (metadata !== undefined && metadata !== null && typeof metadata !== 'string') bad('CreateAuthChallenge', 'challengeMetadata must be a string.');
  return {
    publicChallengeParameters: stringMap('CreateAuthChallenge', 'publicChallengeParameters', r.publicChallengeParameters),
    privateChallengeParameters: stringMap('CreateAuthChallenge', 'privateChallengeParameters', r.privateChallengeParameters),
    challengeMetadata: (metadata as string | undefined) ?? null,
  };
}

export async function verifyAuthChallengeResponse(
  app: Corral,
  pool: Pool,
  client: Client,
  subject: ChallengeSubject,
  privateChallengeParameters: Record<string, string>,
  challengeAnswer: string,
  clientMetadata?: Record<string, string>,
): Promise<boolean> {
  const response = await invokeTrigger(app, pool, {
    trigger: 'VerifyAuthChallengeResponse',
    source: 'VerifyAuthChallengeResponse_Authentication',
    userName: subject.user?.username ?? subject.userName,
    clientId: client.id,
    request: { ...common(subject, clientMetadata), privateChallengeParameters, challengeAnswer },
  });
  return flag('VerifyAuthChallengeResponse', 'answerCorrect', (response ?? {}).answerCorrect);
}
