// SELECT_MFA_TYPE: the user picks one of MFAS_CAN_CHOOSE in ANSWER (SMS_MFA, SOFTWARE_TOKEN_MFA or EMAIL_OTP);
// the answer is that factor's challenge (for SMS and email, the code is sent now).
import { InvalidParameterException } from '../../errors.js';
import { activeFactors, userMfa, type MfaFactor } from '../user-mfa.js';
import type { ChallengeAnswer } from './tables.js';
import { sessionUser, startMfaChallenge } from './mfa.js';

export const answerSelectMfaType: ChallengeAnswer = async (app, pool, client, input) => {
  const { user } = await sessionUser(app, pool, client, input, 'SELECT_MFA_TYPE');
  const answer = input.ChallengeResponses?.ANSWER;
  if (!answer) throw new InvalidParameterException('Missing required parameter ANSWER');
  const choices = activeFactors(pool, user, userMfa(user));
  if (!choices.includes(answer as MfaFactor)) throw new InvalidParameterException(`Invalid MFA type ${answer} for the user.`);
  return startMfaChallenge(app, pool, client, user, answer as MfaFactor);
};
