// PASSWORD_VERIFIER: the second step of USER_SRP_AUTH (and of a custom auth sign-in's SRP steps, which go on in
// custom-auth.ts).
import type { ChallengeAnswer } from './tables.js';
import { answerPasswordVerifier } from '../sign-in.js';
import { afterCustomPassword } from './custom-auth.js';

export const answerPasswordVerifierChallenge: ChallengeAnswer = (app, pool, client, input) =>
  answerPasswordVerifier(app, pool, client, input.ChallengeResponses ?? {}, afterCustomPassword(app, pool, client, input));
