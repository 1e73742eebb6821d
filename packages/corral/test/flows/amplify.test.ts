// aws-amplify v6 in Node against Corral (userPoolEndpoint): the Wild Rydes walkthrough's calls, SRP sign-in included.
import { Amplify } from 'aws-amplify';
import { confirmSignUp, fetchAuthSession, fetchUserAttributes, getCurrentUser, signIn, signOut, signUp, updateUserAttributes } from 'aws-amplify/auth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCorral, type TestCorral } from '../support/corral.js';
import { createWildRydesPool, latestCode, type SeedPool } from '../support/pools.js';

const EMAIL = 'amplify.rider@example.com';
const USERNAME = EMAIL.replace(/[@.]/g, '|'); // the walkthrough's username transform
const PASSWORD = 'Unicorn!Ride42';

describe('aws-amplify v6 (Node)', () => {
  let corral: TestCorral;
  let seed: SeedPool;
  beforeAll(async () => {
    corral = await startTestCorral();
    seed = await createWildRydesPool(corral);
    Amplify.configure({ Auth: { Cognito: { userPoolId: seed.poolId, userPoolClientId: seed.clientId, userPoolEndpoint: corral.url } } });
  });
  afterAll(() => corral.stop());

  it('signUp → confirmSignUp → signIn (SRP) → session → attributes → update → global signOut', async () => {
    const up = await signUp({
      username: USERNAME,
      password: PASSWORD,
      options: { userAttributes: { email: EMAIL, phone_number: '+14252345678', 'custom:genre': 'Country' } },
    });
    expect(up.nextStep.signUpStep).toBe('CONFIRM_SIGN_UP');
    expect(up.userId).toMatch(/^[0-9a-f-]{36}$/);

    const confirmed = await confirmSignUp({ username: USERNAME, confirmationCode: await latestCode(corral, EMAIL) });
    expect(confirmed.isSignUpComplete).toBe(true);

    const signedIn = await signIn({ username: USERNAME, password: PASSWORD });
    expect(signedIn.isSignedIn).toBe(true);
    expect((await getCurrentUser()).username).toBe(USERNAME);

    const { tokens } = await fetchAuthSession();
    expect(tokens?.idToken?.payload).toMatchObject({ email: EMAIL, 'custom:genre': 'Country', 'cognito:username': USERNAME });
    expect(tokens?.accessToken.payload.token_use).toBe('access');

    const attrs = await fetchUserAttributes();
    expect(attrs).toMatchObject({ email: EMAIL, email_verified: 'true', 'custom:genre': 'Country' });

    const updated = await updateUserAttributes({ userAttributes: { 'custom:genre': 'Reggae' } });
    expect(updated['custom:genre']?.isUpdated).toBe(true);
    expect((await fetchUserAttributes())['custom:genre']).toBe('Reggae');

    const forced = await fetchAuthSession({ forceRefresh: true });
    expect(forced.tokens?.idToken?.payload['custom:genre']).toBe('Reggae');

    const access = tokens!.accessToken.toString();
    await signOut({ global: true });
    const res = await fetch(corral.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSCognitoIdentityProviderService.GetUser' },
      body: JSON.stringify({ AccessToken: access }),
    });
    expect(await res.json()).toMatchObject({ __type: 'NotAuthorizedException', message: 'Access Token has been revoked' });
  });

  it('reports a wrong password as NotAuthorizedException', async () => {
    await expect(signIn({ username: USERNAME, password: 'Wrong!Ride1' })).rejects.toMatchObject({ name: 'NotAuthorizedException' });
  });
});
