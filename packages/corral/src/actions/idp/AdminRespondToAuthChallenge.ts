// AdminRespondToAuthChallenge: answers the challenge AdminInitiateAuth (or a previous answer) returned, with the
// same answers as RespondToAuthChallenge (domain/challenges).
import type { AdminRespondToAuthChallengeRequest, AdminRespondToAuthChallengeResponse } from '@aws-sdk/client-cognito-identity-provider';
import { action } from '../../wire/actions.js';
import { withSignInDevice } from '../../domain/devices.js';
import { InvalidParameterException, NotImplementedError } from '../../errors.js';
import { adminClient } from '../../domain/admin-auth.js';
import { checkSecretHash } from '../../domain/client-auth.js';
import { challengeAnswers } from '../../domain/challenges/index.js';

export default action<AdminRespondToAuthChallengeRequest, AdminRespondToAuthChallengeResponse>(async (input, { app }) =>
  // The DEVICE_KEY a sign-in names (remembered devices: domain/devices.ts).
  withSignInDevice(input.ChallengeResponses?.DEVICE_KEY, async () => {
    const { pool, client } = await adminClient(app, input.UserPoolId!, input.ClientId!);
    const username = input.ChallengeResponses?.USERNAME;
    if (!username) throw new InvalidParameterException('Missing required parameter USERNAME');
    checkSecretHash(client, username, input.ChallengeResponses?.SECRET_HASH);
    const answer = challengeAnswers[input.ChallengeName!];
    if (!answer) throw new NotImplementedError(`AdminRespondToAuthChallenge ${input.ChallengeName}`);
    const { UserPoolId: _pool, ContextData: _context, ...common } = input;
    return answer(app, pool, client, common);
  }),
);
