// NEW_PASSWORD_REQUIRED through the real browser libraries: a user an administrator created (AdminCreateUser)
// signs in with the invitation's temporary password and chooses a new one — aws-amplify v6 (confirmSignIn) and
// amazon-cognito-identity-js (newPasswordRequired → completeNewPasswordChallenge), both over SRP.
import { AdminCreateUserCommand, AdminGetUserCommand } from '@aws-sdk/client-cognito-identity-provider';
import { AuthenticationDetails, CognitoUser, CognitoUserPool, type CognitoUserSession } from 'amazon-cognito-identity-js';
import { Amplify } from 'aws-amplify';
import { confirmSignIn, fetchAuthSession, fetchUserAttributes, signIn, signOut } from 'aws-amplify/auth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCorral, type TestCorral } from '../support/corral.js';
import { latestTemporaryPassword } from '../support/invites.js';
import { createWildRydesPool, type SeedPool } from '../support/pools.js';

const NEW_PASSWORD = 'Chosen!Ride42';

describe('NEW_PASSWORD_REQUIRED with the browser libraries', () => {
  let corral: TestCorral;
  let seed: SeedPool;
  let strict: SeedPool;
  beforeAll(async () => {
    corral = await startTestCorral();
    seed = await createWildRydesPool(corral);
    // A pool that requires given_name, which the administrator leaves for the user to supply.
    strict = await createWildRydesPool(corral, { Schema: [{ Name: 'given_name', AttributeDataType: 'String', Required: true, Mutable: true }] });
  });
  afterAll(() => corral.stop());

  const invite = async (pool: SeedPool, Username: string, email: string) => {
    await corral.idp.send(
      new AdminCreateUserCommand({ UserPoolId: pool.poolId, Username, UserAttributes: [{ Name: 'email', Value: email }], DesiredDeliveryMediums: ['EMAIL'] }),
    );
    return latestTemporaryPassword(corral, email);
  };
  const status = async (pool: SeedPool, Username: string) => (await corral.idp.send(new AdminGetUserCommand({ UserPoolId: pool.poolId, Username }))).UserStatus;

  it('aws-amplify v6: signIn → CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED → confirmSignIn → signed in', async () => {
    Amplify.configure({ Auth: { Cognito: { userPoolId: seed.poolId, userPoolClientId: seed.clientId, userPoolEndpoint: corral.url } } });
    const temp = await invite(seed, 'amplify-invitee', 'amplify.invitee@example.com');
    const first = await signIn({ username: 'amplify-invitee', password: temp });
    expect(first.isSignedIn).toBe(false);
    expect(first.nextStep).toMatchObject({ signInStep: 'CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED', missingAttributes: [] });

    const done = await confirmSignIn({ challengeResponse: NEW_PASSWORD });
    expect(done.isSignedIn).toBe(true);
    expect(done.nextStep.signInStep).toBe('DONE');
    const { tokens } = await fetchAuthSession();
    expect(tokens?.idToken?.payload['cognito:username']).toBe('amplify-invitee');
    expect(await status(seed, 'amplify-invitee')).toBe('CONFIRMED');
    await signOut();

    // The chosen password is the password now.
    expect((await signIn({ username: 'amplify-invitee', password: NEW_PASSWORD })).isSignedIn).toBe(true);
    await signOut();
  });

  it('aws-amplify v6: missing required attributes are named and supplied in confirmSignIn', async () => {
    Amplify.configure({ Auth: { Cognito: { userPoolId: strict.poolId, userPoolClientId: strict.clientId, userPoolEndpoint: corral.url } } });
    const temp = await invite(strict, 'amplify-strict', 'amplify.strict@example.com');
    const first = await signIn({ username: 'amplify-strict', password: temp });
    expect(first.nextStep).toMatchObject({ signInStep: 'CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED', missingAttributes: ['given_name'] });
    const done = await confirmSignIn({ challengeResponse: NEW_PASSWORD, options: { userAttributes: { given_name: 'Strictly' } } });
    expect(done.isSignedIn).toBe(true);
    expect(await fetchUserAttributes()).toMatchObject({ given_name: 'Strictly', email: 'amplify.strict@example.com' });
    await signOut();
  });

  it('amazon-cognito-identity-js: newPasswordRequired → completeNewPasswordChallenge → session', async () => {
    const pool = new CognitoUserPool({ UserPoolId: strict.poolId, ClientId: strict.clientId, endpoint: corral.url });
    const temp = await invite(strict, 'js-invitee', 'js.invitee@example.com');
    const user = new CognitoUser({ Username: 'js-invitee', Pool: pool });
    let seen: { userAttributes: Record<string, string>; requiredAttributes: string[] } | undefined;
    const session = await new Promise<CognitoUserSession>((resolve, reject) => {
      const callbacks = {
        onSuccess: resolve,
        onFailure: reject,
        newPasswordRequired(userAttributes: Record<string, string>, requiredAttributes: string[]) {
          seen = { userAttributes, requiredAttributes };
          user.completeNewPasswordChallenge(NEW_PASSWORD, { given_name: 'Jay' }, callbacks);
        },
      };
      user.authenticateUser(new AuthenticationDetails({ Username: 'js-invitee', Password: temp }), callbacks);
    });
    expect(seen?.requiredAttributes).toEqual(['given_name']);
    expect(seen?.userAttributes).toMatchObject({ email: 'js.invitee@example.com' });
    expect(seen?.userAttributes.sub).toBeUndefined();
    expect(session.isValid()).toBe(true);
    expect(session.getIdToken().decodePayload()).toMatchObject({ 'cognito:username': 'js-invitee', given_name: 'Jay' });
    expect(await status(strict, 'js-invitee')).toBe('CONFIRMED');

    // A too-weak new password is refused with the policy's message, and the challenge can be answered again.
    const temp2 = await invite(strict, 'js-weak', 'js.weak@example.com');
    const weak = new CognitoUser({ Username: 'js-weak', Pool: pool });
    const failure = await new Promise<{ code?: string; message?: string }>((resolve, reject) => {
      weak.authenticateUser(new AuthenticationDetails({ Username: 'js-weak', Password: temp2 }), {
        onSuccess: () => reject(new Error('signed in with a weak password')),
        onFailure: resolve,
        newPasswordRequired: () =>
          weak.completeNewPasswordChallenge('weak', { given_name: 'W' }, { onSuccess: () => reject(new Error('accepted')), onFailure: resolve }),
      });
    });
    expect(failure).toMatchObject({ code: 'InvalidPasswordException', message: 'Password does not conform to policy: Password not long enough' });
  });
});
