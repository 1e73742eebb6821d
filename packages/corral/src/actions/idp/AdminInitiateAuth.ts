// AdminInitiateAuth: sign-in from a trusted back end (SigV4): ADMIN_USER_PASSWORD_AUTH (legacy ADMIN_NO_SRP_AUTH),
// USER_SRP_AUTH, CUSTOM_AUTH, USER_AUTH (choice-based, answered by AdminRespondToAuthChallenge), or a refresh
// (REFRESH_TOKEN_AUTH / REFRESH_TOKEN); each must be enabled in ExplicitAuthFlows.
import type { AdminInitiateAuthRequest, AdminInitiateAuthResponse } from '@aws-sdk/client-cognito-identity-provider';
import { action } from '../../wire/actions.js';
import { withSignInDevice } from '../../domain/devices.js';
import { InvalidParameterException, NotImplementedError } from '../../errors.js';
import { adminClient } from '../../domain/admin-auth.js';
import { checkFlowEnabled, checkSecretHash } from '../../domain/client-auth.js';
import { beginSrp, passwordSignIn, refreshSignIn } from '../../domain/sign-in.js';
import { beginCustomAuth } from '../../domain/challenges/custom-auth.js';
import { beginUserAuth } from '../../domain/challenges/user-auth.js';
import { requiredParam as param } from '../../domain/auth-params.js';

export default action<AdminInitiateAuthRequest, AdminInitiateAuthResponse>(async (input, { app }) =>
  // The DEVICE_KEY a sign-in names (remembered devices: domain/devices.ts).
  withSignInDevice(input.AuthParameters?.DEVICE_KEY, async () => {
    const { pool, client } = await adminClient(app, input.UserPoolId!, input.ClientId!);
    const flow = input.AuthFlow!;
    const params = input.AuthParameters ?? {};

    switch (flow) {
      case 'ADMIN_USER_PASSWORD_AUTH':
      case 'ADMIN_NO_SRP_AUTH': {
        checkFlowEnabled(client, 'ADMIN_USER_PASSWORD_AUTH');
        const username = param(params, 'USERNAME');
        checkSecretHash(client, username, params.SECRET_HASH);
        return passwordSignIn(app, pool, client, username, param(params, 'PASSWORD'));
      }
      case 'USER_SRP_AUTH': {
        checkFlowEnabled(client, flow);
        const username = param(params, 'USERNAME');
        checkSecretHash(client, username, params.SECRET_HASH);
        return beginSrp(app, pool, client, username, param(params, 'SRP_A'));
      }
      case 'CUSTOM_AUTH': {
        checkFlowEnabled(client, flow);
        checkSecretHash(client, param(params, 'USERNAME'), params.SECRET_HASH);
        return beginCustomAuth(app, pool, client, params);
      }
      case 'REFRESH_TOKEN_AUTH':
      case 'REFRESH_TOKEN':
        checkFlowEnabled(client, flow);
        return { AuthenticationResult: await refreshSignIn(app, pool, client, param(params, 'REFRESH_TOKEN'), params.SECRET_HASH), ChallengeParameters: {} };
      case 'USER_AUTH':
        // The API reference lists USER_AUTH among AdminInitiateAuth's flows ("the entry point for choice-based
        // authentication"), with the same AuthParameters (USERNAME, PREFERRED_CHALLENGE) and Session as InitiateAuth.
        checkFlowEnabled(client, flow);
        return beginUserAuth(app, pool, client, params, input.Session);
      case 'USER_PASSWORD_AUTH':
        throw new InvalidParameterException('Initiate Auth method not supported.');
      default:
        throw new NotImplementedError(`AdminInitiateAuth ${flow}`);
    }
  }),
);
