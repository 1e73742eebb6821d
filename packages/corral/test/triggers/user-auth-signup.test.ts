// SignUp's Session: a user confirmed at sign-up by PreSignUp (autoConfirmUser) on a client with ALLOW_USER_AUTH
// signs in once with InitiateAuth USER_AUTH and that Session (what aws-amplify's autoSignIn does); a user left
// UNCONFIRMED gets no Session.
import { InitiateAuthCommand, SignUpCommand, type CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { describeEachBackend, startTestCorral, type TestCorral } from '../support/corral.js';
import { createWildRydesPool } from '../support/pools.js';
import { publicClient } from '../support/users.js';
import { arn, clearTriggers, onTrigger, probeModule } from './support.js';

describeEachBackend('USER_AUTH after an auto-confirmed SignUp', (backend) => {
  let corral: TestCorral;
  let pub: CognitoIdentityProviderClient;
  const probe = probeModule();
  beforeAll(async () => {
    corral = await startTestCorral({ backend, config: { functions: { 'pre-sign-up': { module: probe } } } });
    pub = publicClient(corral);
  });
  afterAll(async () => {
    pub.destroy();
    await corral.stop();
  });
  afterEach(() => clearTriggers());

  it('the SignUp Session signs the auto-confirmed user in once; an unconfirmed user gets none', async () => {
    const seed = await createWildRydesPool(
      corral,
      { LambdaConfig: { PreSignUp: arn('pre-sign-up') }, Policies: { SignInPolicy: { AllowedFirstAuthFactors: ['PASSWORD', 'EMAIL_OTP'] } } },
      { ExplicitAuthFlows: ['ALLOW_USER_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] },
    );
    onTrigger('pre-sign-up', (e) => {
      e.response.autoConfirmUser = true;
      e.response.autoVerifyEmail = true;
    });
    const up = await pub.send(
      new SignUpCommand({ ClientId: seed.clientId, Username: 'auto1', UserAttributes: [{ Name: 'email', Value: 'auto1@example.com' }] }),
    );
    expect(up.UserConfirmed).toBe(true);
    expect(up.Session).toBeDefined();
    const signIn = () =>
      pub.send(new InitiateAuthCommand({ ClientId: seed.clientId, AuthFlow: 'USER_AUTH', AuthParameters: { USERNAME: 'auto1' }, Session: up.Session }));
    expect((await signIn()).AuthenticationResult?.AccessToken).toBeDefined();
    await expect(signIn()).rejects.toMatchObject({ name: 'NotAuthorizedException', message: 'Invalid session for the user.' });

    onTrigger('pre-sign-up', () => undefined);
    const unconfirmed = await pub.send(
      new SignUpCommand({ ClientId: seed.clientId, Username: 'auto2', UserAttributes: [{ Name: 'email', Value: 'auto2@example.com' }] }),
    );
    expect(unconfirmed.UserConfirmed).toBe(false);
    expect(unconfirmed.Session).toBeUndefined();
  });
});
