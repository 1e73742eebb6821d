// RespondToAuthChallenge: answers the challenge InitiateAuth returned (PASSWORD_VERIFIER for SRP).
import type { RespondToAuthChallengeRequest, RespondToAuthChallengeResponse } from '@aws-sdk/client-cognito-identity-provider';
import { action } from '../../wire/actions.js';
import { InvalidParameterException, NotImplementedError } from '../../errors.js';
import { requireClient, requirePool } from '../../domain/pools.js';
import { checkSecretHash } from '../../domain/client-auth.js';
import { answerPasswordVerifier } from '../../domain/sign-in.js';

export default action<RespondToAuthChallengeRequest, RespondToAuthChallengeResponse>(async (input, { app }) => {
  const client = await requireClient(app, input.ClientId!);
  const pool = await requirePool(app, client.poolId);
  const responses = input.ChallengeResponses ?? {};
  const username = responses.USERNAME;
  if (!username) throw new InvalidParameterException('Missing required parameter USERNAME');
  checkSecretHash(client, username, responses.SECRET_HASH);

  switch (input.ChallengeName) {
    case 'PASSWORD_VERIFIER':
      return { AuthenticationResult: await answerPasswordVerifier(app, pool, client, responses), ChallengeParameters: {} };
    default:
      throw new NotImplementedError(`RespondToAuthChallenge ${input.ChallengeName}`);
  }
});
