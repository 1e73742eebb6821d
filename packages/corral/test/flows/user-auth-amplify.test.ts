// aws-amplify v6 in Node against a pool that allows PASSWORD and EMAIL_OTP first factors (client with
// ALLOW_USER_AUTH): signIn with authFlowType USER_AUTH and preferredChallenge EMAIL_OTP → CONFIRM_SIGN_IN_WITH_EMAIL_CODE
// → confirmSignIn; the first-factor selection (PASSWORD_SRP, then the password); passwordless signUp with
// autoSignIn → confirmSignUp → autoSignIn (the ConfirmSignUp Session). One Amplify configuration per process.
import { Amplify } from 'aws-amplify';
import { autoSignIn, confirmSignIn, confirmSignUp, getCurrentUser, signIn, signOut, signUp } from 'aws-amplify/auth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCorral, type TestCorral } from '../support/corral.js';
import { createWildRydesPool, latestCode, type SeedPool } from '../support/pools.js';
import { signUpConfirmed } from '../support/users.js';

const PASSWORD = 'Unicorn!Ride42';

describe('aws-amplify v6: USER_AUTH sign-in and passwordless email OTP', () => {
  let corral: TestCorral;
  let seed: SeedPool;
  beforeAll(async () => {
    corral = await startTestCorral();
    seed = await createWildRydesPool(
      corral,
      { Policies: { SignInPolicy: { AllowedFirstAuthFactors: ['PASSWORD', 'EMAIL_OTP'] } } },
      { ExplicitAuthFlows: ['ALLOW_USER_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] },
    );
    Amplify.configure({ Auth: { Cognito: { userPoolId: seed.poolId, userPoolClientId: seed.clientId, userPoolEndpoint: corral.url } } });
  });
  afterAll(() => corral.stop());

  it('signIn USER_AUTH preferring EMAIL_OTP → CONFIRM_SIGN_IN_WITH_EMAIL_CODE → confirmSignIn (a wrong code first)', async () => {
    await signUpConfirmed(corral, seed, 'amplotp', PASSWORD, { email: 'amplotp@example.com' });
    const first = await signIn({ username: 'amplotp', options: { authFlowType: 'USER_AUTH', preferredChallenge: 'EMAIL_OTP' } });
    expect(first).toEqual({
      isSignedIn: false,
      nextStep: { signInStep: 'CONFIRM_SIGN_IN_WITH_EMAIL_CODE', codeDeliveryDetails: { deliveryMedium: 'EMAIL', destination: 'a***@e***' } },
    });
    const code = await latestCode(corral, 'amplotp@example.com');
    await expect(confirmSignIn({ challengeResponse: code === '000000' ? '111111' : '000000' })).rejects.toMatchObject({ name: 'CodeMismatchException' });
    expect(await confirmSignIn({ challengeResponse: code })).toEqual({ isSignedIn: true, nextStep: { signInStep: 'DONE' } });
    expect((await getCurrentUser()).username).toBe('amplotp');
    await signOut();
  });

  it('signIn USER_AUTH without a preference → first-factor selection → PASSWORD_SRP → the password', async () => {
    await signUpConfirmed(corral, seed, 'amplselect', PASSWORD, { email: 'amplselect@example.com' });
    const first = await signIn({ username: 'amplselect', options: { authFlowType: 'USER_AUTH' } });
    expect(first.nextStep).toEqual({
      signInStep: 'CONTINUE_SIGN_IN_WITH_FIRST_FACTOR_SELECTION',
      availableChallenges: ['PASSWORD', 'PASSWORD_SRP', 'EMAIL_OTP'],
    });
    expect((await confirmSignIn({ challengeResponse: 'PASSWORD_SRP' })).nextStep.signInStep).toBe('CONFIRM_SIGN_IN_WITH_PASSWORD');
    expect(await confirmSignIn({ challengeResponse: PASSWORD })).toEqual({ isSignedIn: true, nextStep: { signInStep: 'DONE' } });
    expect((await getCurrentUser()).username).toBe('amplselect');
    await signOut();
  });

  it('passwordless signUp with autoSignIn (USER_AUTH) → confirmSignUp → autoSignIn signs in with the ConfirmSignUp Session', async () => {
    const up = await signUp({
      username: 'amplnopass',
      options: { userAttributes: { email: 'amplnopass@example.com' }, autoSignIn: { authFlowType: 'USER_AUTH' } },
    });
    expect(up.nextStep.signUpStep).toBe('CONFIRM_SIGN_UP');
    const confirmed = await confirmSignUp({ username: 'amplnopass', confirmationCode: await latestCode(corral, 'amplnopass@example.com') });
    expect(confirmed).toEqual({ isSignUpComplete: true, nextStep: { signUpStep: 'COMPLETE_AUTO_SIGN_IN' } });
    expect(await autoSignIn()).toEqual({ isSignedIn: true, nextStep: { signInStep: 'DONE' } });
    expect((await getCurrentUser()).username).toBe('amplnopass');
    await signOut();
  });
});
