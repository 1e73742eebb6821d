// Challenges of a sign-in after the password: which one a user still owes, and how each is answered.
//   pendingChallenges: checked in order by completeSignIn; the first that returns a step wins.
//   challengeAnswers: RespondToAuthChallenge's ChallengeName → handler.
// Each challenge lives in its own file here and adds itself to these two tables.
import type { RespondToAuthChallengeRequest } from '@aws-sdk/client-cognito-identity-provider';
import type { Corral } from '../../runtime/app.js';
import type { Client, Pool } from '../pools.js';
import type { SignInStep } from '../sign-in.js';
import type { User } from '../users.js';
import { answerPasswordVerifierChallenge } from './password-verifier.js';
import { mfaRequired } from './mfa.js';
import { answerNewPassword, newPasswordRequired } from './new-password.js';

export type PendingChallenge = (app: Corral, pool: Pool, client: Client, user: User) => Promise<SignInStep | undefined>;
export type ChallengeAnswer = (app: Corral, pool: Pool, client: Client, input: RespondToAuthChallengeRequest) => Promise<SignInStep>;

export const pendingChallenges: PendingChallenge[] = [newPasswordRequired, mfaRequired];

export const challengeAnswers: Partial<Record<string, ChallengeAnswer>> = {
  PASSWORD_VERIFIER: answerPasswordVerifierChallenge,
  NEW_PASSWORD_REQUIRED: answerNewPassword,
};
