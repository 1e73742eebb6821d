// aws-amplify v6 in Node, a pool with MFA ON and TOTP only: the first sign-in is CONTINUE_SIGN_IN_WITH_TOTP_SETUP
// (MFA_SETUP → AssociateSoftwareToken with the Session), confirmSignIn with a code finishes it (VerifySoftwareToken
// with the Session, then RespondToAuthChallenge MFA_SETUP); the next sign-in asks for the TOTP code.
import { Amplify } from 'aws-amplify';
import { confirmSignIn, fetchMFAPreference, signIn, signOut } from 'aws-amplify/auth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCorral, type TestCorral } from '../support/corral.js';
import { nextTotpCode, requireTotpMfa, totpCode } from '../support/mfa.js';
import { createWildRydesPool, type SeedPool } from '../support/pools.js';
import { signUpConfirmed } from '../support/users.js';

const PASSWORD = 'Unicorn!Ride42';

describe('aws-amplify v6: MFA required, TOTP setup at sign-in', () => {
  let corral: TestCorral;
  let seed: SeedPool;
  beforeAll(async () => {
    corral = await startTestCorral();
    seed = await createWildRydesPool(corral);
    await requireTotpMfa(corral.idp, seed.poolId, 'ON');
    Amplify.configure({ Auth: { Cognito: { userPoolId: seed.poolId, userPoolClientId: seed.clientId, userPoolEndpoint: corral.url } } });
  });
  afterAll(() => corral.stop());

  it('signIn → CONTINUE_SIGN_IN_WITH_TOTP_SETUP → confirmSignIn(code) → signed in; next signIn → CONFIRM_SIGN_IN_WITH_TOTP_CODE', async () => {
    await signUpConfirmed(corral, seed, 'amplisetup', PASSWORD, { email: 'amplisetup@example.com' });
    const first = await signIn({ username: 'amplisetup', password: PASSWORD });
    expect(first.isSignedIn).toBe(false);
    if (first.nextStep.signInStep !== 'CONTINUE_SIGN_IN_WITH_TOTP_SETUP') throw new Error(`unexpected step ${first.nextStep.signInStep}`);
    const secret = first.nextStep.totpSetupDetails.sharedSecret;
    expect(secret).toMatch(/^[A-Z2-7]{52}$/);
    expect(first.nextStep.totpSetupDetails.getSetupUri('WildRydes').toString()).toContain('amplisetup');

    const done = await confirmSignIn({ challengeResponse: totpCode(secret), options: { friendlyDeviceName: 'Setup phone' } });
    expect(done).toEqual({ isSignedIn: true, nextStep: { signInStep: 'DONE' } });
    expect(await fetchMFAPreference()).toEqual({ preferred: 'TOTP', enabled: ['TOTP'] });
    await signOut();

    const again = await signIn({ username: 'amplisetup', password: PASSWORD });
    expect(again.nextStep.signInStep).toBe('CONFIRM_SIGN_IN_WITH_TOTP_CODE');
    expect((await confirmSignIn({ challengeResponse: nextTotpCode(secret) })).isSignedIn).toBe(true);
    await signOut();
  });
});
