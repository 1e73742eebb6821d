// amazon-cognito-identity-js against Corral: MFA_SETUP through mfaSetup → associateSoftwareToken →
// verifySoftwareToken; then totpRequired → sendMFACode(code, callbacks, 'SOFTWARE_TOKEN_MFA'); SMS through
// mfaRequired → sendMFACode(code from the outbox).
import { AuthenticationDetails, CognitoUser, CognitoUserPool, type CognitoUserSession } from 'amazon-cognito-identity-js';
import { SetUserMFAPreferenceCommand, SetUserPoolMfaConfigCommand } from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCorral, type TestCorral } from '../support/corral.js';
import { nextTotpCode, totpCode } from '../support/mfa.js';
import { createWildRydesPool, latestCode, type SeedPool } from '../support/pools.js';
import { publicClient, signUpConfirmed } from '../support/users.js';

const PASSWORD = 'Unicorn!Ride42';

type Outcome =
  { kind: 'success'; session: CognitoUserSession } | { kind: 'totpRequired' | 'mfaRequired' | 'mfaSetup' | 'selectMFAType'; params: Record<string, string> };

describe('amazon-cognito-identity-js: MFA', () => {
  let corral: TestCorral;
  let seed: SeedPool;
  let pool: CognitoUserPool;
  beforeAll(async () => {
    corral = await startTestCorral();
    seed = await createWildRydesPool(corral);
    await corral.idp.send(
      new SetUserPoolMfaConfigCommand({
        UserPoolId: seed.poolId,
        MfaConfiguration: 'ON',
        SoftwareTokenMfaConfiguration: { Enabled: true },
        SmsMfaConfiguration: { SmsConfiguration: { SnsCallerArn: 'arn:aws:iam::123456789012:role/corral-sms', ExternalId: 'corral' } },
      }),
    );
    pool = new CognitoUserPool({ UserPoolId: seed.poolId, ClientId: seed.clientId, endpoint: corral.url });
  });
  afterAll(() => corral.stop());

  const callbacks = (resolve: (o: Outcome) => void, reject: (e: unknown) => void) => ({
    onSuccess: (session: CognitoUserSession) => resolve({ kind: 'success', session }),
    onFailure: reject,
    totpRequired: (_n: string, params: Record<string, string>) => resolve({ kind: 'totpRequired', params }),
    mfaRequired: (_n: string, params: Record<string, string>) => resolve({ kind: 'mfaRequired', params }),
    mfaSetup: (_n: string, params: Record<string, string>) => resolve({ kind: 'mfaSetup', params }),
    selectMFAType: (_n: string, params: Record<string, string>) => resolve({ kind: 'selectMFAType', params }),
  });
  const authenticate = (u: CognitoUser, Username: string) =>
    new Promise<Outcome>((resolve, reject) => u.authenticateUser(new AuthenticationDetails({ Username, Password: PASSWORD }), callbacks(resolve, reject)));
  const sendMFACode = (u: CognitoUser, code: string, type?: string) =>
    new Promise<Outcome>((resolve, reject) => u.sendMFACode(code, callbacks(resolve, reject), type));

  it('mfaSetup → associateSoftwareToken → verifySoftwareToken signs in; then totpRequired → sendMFACode(SOFTWARE_TOKEN_MFA)', async () => {
    await signUpConfirmed(corral, seed, 'jstotp', PASSWORD, { email: 'jstotp@example.com' });
    const user = new CognitoUser({ Username: 'jstotp', Pool: pool });
    const setup = await authenticate(user, 'jstotp');
    expect(setup).toEqual({ kind: 'mfaSetup', params: { MFAS_CAN_SETUP: '["SMS_MFA","SOFTWARE_TOKEN_MFA"]', USER_ID_FOR_SRP: 'jstotp' } });
    const secret = await new Promise<string>((resolve, reject) => user.associateSoftwareToken({ associateSecretCode: resolve, onFailure: reject }));
    const session = await new Promise<CognitoUserSession>((resolve, reject) =>
      user.verifySoftwareToken(totpCode(secret), 'JS phone', { onSuccess: resolve, onFailure: reject }),
    );
    expect(session.isValid()).toBe(true);
    user.signOut();

    const again = new CognitoUser({ Username: 'jstotp', Pool: pool });
    const challenge = await authenticate(again, 'jstotp');
    expect(challenge).toEqual({ kind: 'totpRequired', params: { FRIENDLY_DEVICE_NAME: 'JS phone', USER_ID_FOR_SRP: 'jstotp' } });
    const code = nextTotpCode(secret);
    await expect(sendMFACode(again, code === '000000' ? '111111' : '000000', 'SOFTWARE_TOKEN_MFA')).rejects.toMatchObject({ code: 'CodeMismatchException' });
    const done = await sendMFACode(again, code, 'SOFTWARE_TOKEN_MFA');
    expect(done.kind).toBe('success');
    if (done.kind === 'success') expect(done.session.getIdToken().decodePayload()['cognito:username']).toBe('jstotp');
  });

  it('a user with a phone number: mfaRequired (SMS) → sendMFACode with the code from the outbox; SMS preferred keeps asking by SMS', async () => {
    const phone = '+14255550199';
    await signUpConfirmed(corral, seed, 'jssms', PASSWORD, { email: 'jssms@example.com', phone_number: phone });
    const user = new CognitoUser({ Username: 'jssms', Pool: pool });
    const challenge = await authenticate(user, 'jssms');
    expect(challenge).toEqual({
      kind: 'mfaRequired',
      params: { CODE_DELIVERY_DELIVERY_MEDIUM: 'SMS', CODE_DELIVERY_DESTINATION: '+*******0199', USER_ID_FOR_SRP: 'jssms' },
    });
    const done = await sendMFACode(user, await latestCode(corral, phone));
    expect(done.kind).toBe('success');
    // Turn SMS on explicitly and check it is what the user gets again.
    if (done.kind !== 'success') return;
    const pub = publicClient(corral);
    await pub.send(
      new SetUserMFAPreferenceCommand({ AccessToken: done.session.getAccessToken().getJwtToken(), SMSMfaSettings: { Enabled: true, PreferredMfa: true } }),
    );
    pub.destroy();
    expect((await authenticate(new CognitoUser({ Username: 'jssms', Pool: pool }), 'jssms')).kind).toBe('mfaRequired');
  });
});
