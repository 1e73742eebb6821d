// SELECT_CHALLENGE (ANSWER: PASSWORD with PASSWORD, PASSWORD_SRP with SRP_A, EMAIL_OTP, SMS_OTP, WEB_AUTHN — which
// answers with the WEB_AUTHN challenge and its CREDENTIAL_REQUEST_OPTIONS: a credential can only answer a challenge
// it was given) and the PASSWORD /
// PASSWORD_SRP challenges USER_AUTH returns for a preferred password without one: all answer the same USER_AUTH
// Session, which is spent by the answer (a replay is refused).
import { InvalidParameterException, NotAuthorizedException } from '../../errors.js';
import { readSession, sessionTtlSeconds, spendOnce } from '../auth-session.js';
import { findUserBySub, findUserForSignIn } from '../users.js';
import type { ChallengeAnswer } from './tables.js';
import { startChosen, USER_AUTH_SESSION } from './user-auth.js';

function chosen(fixed?: 'PASSWORD' | 'PASSWORD_SRP'): ChallengeAnswer {
  return async (app, pool, client, input) => {
    const responses = input.ChallengeResponses ?? {};
    const choice = fixed ?? responses.ANSWER;
    if (!choice) throw new InvalidParameterException('Missing required parameter ANSWER');
    const state = readSession(app, client, input.Session, USER_AUTH_SESSION);
    if (state.poolId !== pool.id) throw new NotAuthorizedException('Invalid session for the user.');
    const user = state.sub ? await findUserBySub(app, pool.id, state.sub) : undefined;
    if (state.sub && !user) throw new NotAuthorizedException('Invalid session for the user.');
    // USERNAME must name the user the Session was opened for (the username or an alias of it).
    const named = responses.USERNAME;
    if (named !== undefined && named !== state.username && (!user || (await findUserForSignIn(app, pool, named))?.sub !== user.sub)) {
      throw new NotAuthorizedException('Invalid session for the user.');
    }
    await spendOnce(app, input.Session!, sessionTtlSeconds(client));
    return startChosen(app, pool, client, state, user, choice, responses);
  };
}

export const answerSelectChallenge = chosen();
export const answerPasswordChallenge = chosen('PASSWORD');
export const answerPasswordSrpChallenge = chosen('PASSWORD_SRP');
