// aws-amplify v6 in Node, TOTP in an OPTIONAL pool: setUpTOTP → verifyTOTPSetup → updateMFAPreference →
// fetchMFAPreference → signOut → signIn (SRP) asks CONFIRM_SIGN_IN_WITH_TOTP_CODE → confirmSignIn → signed in.
// One Amplify configuration per process: the MFA_SETUP scenario is in mfa-amplify-setup.test.ts.
import { Amplify } from 'aws-amplify';
import { confirmSignIn, fetchMFAPreference, getCurrentUser, setUpTOTP, signIn, signOut, updateMFAPreference, verifyTOTPSetup } from 'aws-amplify/auth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCorral, type TestCorral } from '../support/corral.js';
import { nextTotpCode, requireTotpMfa, totpCode } from '../support/mfa.js';
import { createWildRydesPool, type SeedPool } from '../support/pools.js';
import { signUpConfirmed } from '../support/users.js';

const PASSWORD = 'Unicorn!Ride42';

describe('aws-amplify v6: TOTP MFA (optional pool)', () => {
  let corral: TestCorral;
  let seed: SeedPool;
  beforeAll(async () => {
    corral = await startTestCorral();
    seed = await createWildRydesPool(corral);
    await requireTotpMfa(corral.idp, seed.poolId, 'OPTIONAL');
    Amplify.configure({ Auth: { Cognito: { userPoolId: seed.poolId, userPoolClientId: seed.clientId, userPoolEndpoint: corral.url } } });
  });
  afterAll(() => corral.stop());

  it('setUpTOTP → verifyTOTPSetup → updateMFAPreference(PREFERRED) → signOut → signIn → CONFIRM_SIGN_IN_WITH_TOTP_CODE → confirmSignIn', async () => {
    await signUpConfirmed(corral, seed, 'amplitotp', PASSWORD, { email: 'amplitotp@example.com' });
    expect((await signIn({ username: 'amplitotp', password: PASSWORD })).isSignedIn).toBe(true);

    const setup = await setUpTOTP();
    expect(setup.sharedSecret).toMatch(/^[A-Z2-7]{52}$/);
    expect(setup.getSetupUri('WildRydes').toString()).toContain(`secret=${setup.sharedSecret}`);
    await expect(verifyTOTPSetup({ code: totpCode(setup.sharedSecret) === '000000' ? '111111' : '000000' })).rejects.toMatchObject({
      name: 'EnableSoftwareTokenMFAException',
    });
    await verifyTOTPSetup({ code: totpCode(setup.sharedSecret), options: { friendlyDeviceName: 'Amplify phone' } });
    await updateMFAPreference({ totp: 'PREFERRED' });
    expect(await fetchMFAPreference()).toEqual({ preferred: 'TOTP', enabled: ['TOTP'] });
    await signOut();

    const first = await signIn({ username: 'amplitotp', password: PASSWORD });
    expect(first.isSignedIn).toBe(false);
    expect(first.nextStep.signInStep).toBe('CONFIRM_SIGN_IN_WITH_TOTP_CODE');
    // A wrong code: Cognito's error, and the sign-in can still be confirmed.
    await expect(confirmSignIn({ challengeResponse: nextTotpCode(setup.sharedSecret) === '123456' ? '654321' : '123456' })).rejects.toMatchObject({
      name: 'CodeMismatchException',
      message: 'Invalid code received for user',
    });
    const done = await confirmSignIn({ challengeResponse: nextTotpCode(setup.sharedSecret) });
    expect(done).toEqual({ isSignedIn: true, nextStep: { signInStep: 'DONE' } });
    expect((await getCurrentUser()).username).toBe('amplitotp');
    await signOut();
  });
});
