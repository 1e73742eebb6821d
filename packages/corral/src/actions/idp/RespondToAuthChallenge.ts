// RespondToAuthChallenge: answers the challenge InitiateAuth (or a previous answer) returned.
import type { RespondToAuthChallengeRequest, RespondToAuthChallengeResponse } from '@aws-sdk/client-cognito-identity-provider';
import { action } from '../../wire/actions.js';
import { withSignInDevice } from '../../domain/devices.js';
import { InvalidParameterException, NotImplementedError } from '../../errors.js';
import { checkSecretHash } from '../../domain/client-auth.js';
import { publicCall } from '../../domain/public-call.js';
import { challengeAnswers } from '../../domain/challenges/index.js';

export default action<RespondToAuthChallengeRequest, RespondToAuthChallengeResponse>(async (input, { app }) =>
  // The DEVICE_KEY a sign-in names (remembered devices: domain/devices.ts).
  withSignInDevice(input.ChallengeResponses?.DEVICE_KEY, async () => {
    const { client, pool } = await publicCall(app, input.ClientId!);
    const username = input.ChallengeResponses?.USERNAME;
    if (!username) throw new InvalidParameterException('Missing required parameter USERNAME');
    checkSecretHash(client, username, input.ChallengeResponses?.SECRET_HASH);
    const answer = challengeAnswers[input.ChallengeName!];
    if (!answer) throw new NotImplementedError(`RespondToAuthChallenge ${input.ChallengeName}`);
    return answer(app, pool, client, input);
  }),
);
