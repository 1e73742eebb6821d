// InitiateAuth: starts a sign-in (USER_SRP_AUTH, USER_PASSWORD_AUTH, USER_AUTH, CUSTOM_AUTH) or refreshes tokens (REFRESH_TOKEN_AUTH).
import type { InitiateAuthRequest, InitiateAuthResponse } from '@aws-sdk/client-cognito-identity-provider';
import { action } from '../../wire/actions.js';
import { withSignInDevice } from '../../domain/devices.js';
import { InvalidParameterException, NotImplementedError } from '../../errors.js';
import { publicCall } from '../../domain/public-call.js';
import { checkFlowEnabled, checkSecretHash } from '../../domain/client-auth.js';
import { beginSrp, passwordSignIn, refreshSignIn } from '../../domain/sign-in.js';
import { beginCustomAuth } from '../../domain/challenges/custom-auth.js';
import { beginUserAuth } from '../../domain/challenges/user-auth.js';
import { requiredParam as param } from '../../domain/auth-params.js';

export default action<InitiateAuthRequest, InitiateAuthResponse>(async (input, { app }) =>
  // The DEVICE_KEY a sign-in names (remembered devices: domain/devices.ts).
  withSignInDevice(input.AuthParameters?.DEVICE_KEY, async () => {
    const { client, pool } = await publicCall(app, input.ClientId!);
    const flow = input.AuthFlow!;
    const params = input.AuthParameters ?? {};
    // The admin password flows belong to AdminInitiateAuth only, whatever the client allows (AWS's answer, as
    // awsdocs/aws-doc-sdk-examples#5289 and getmoto/moto#4623 record it).
    if (flow === 'ADMIN_NO_SRP_AUTH' || flow === 'ADMIN_USER_PASSWORD_AUTH') throw new InvalidParameterException('Initiate Auth method not supported.');
    checkFlowEnabled(client, flow);

    switch (flow) {
      case 'USER_SRP_AUTH': {
        const username = param(params, 'USERNAME');
        checkSecretHash(client, username, params.SECRET_HASH);
        return beginSrp(app, pool, client, username, param(params, 'SRP_A'));
      }
      case 'USER_PASSWORD_AUTH': {
        const username = param(params, 'USERNAME');
        checkSecretHash(client, username, params.SECRET_HASH);
        return passwordSignIn(app, pool, client, username, param(params, 'PASSWORD'));
      }
      case 'CUSTOM_AUTH': {
        checkSecretHash(client, param(params, 'USERNAME'), params.SECRET_HASH);
        return beginCustomAuth(app, pool, client, params);
      }
      case 'REFRESH_TOKEN_AUTH':
      case 'REFRESH_TOKEN':
        return { AuthenticationResult: await refreshSignIn(app, pool, client, param(params, 'REFRESH_TOKEN'), params.SECRET_HASH), ChallengeParameters: {} };
      case 'USER_AUTH':
        return beginUserAuth(app, pool, client, params, input.Session);
      default:
        throw new NotImplementedError(`InitiateAuth ${flow}`);
    }
  }),
);
