// PASSWORD_VERIFIER: the second step of USER_SRP_AUTH.
import type { ChallengeAnswer } from './index.js';
import { answerPasswordVerifier } from '../sign-in.js';

export const answerPasswordVerifierChallenge: ChallengeAnswer = (app, pool, client, input) =>
  answerPasswordVerifier(app, pool, client, input.ChallengeResponses ?? {});
