// Remembered devices over real HTTP on both backends: amazon-cognito-identity-js's whole device path (NewDeviceMetadata
// → ConfirmDevice from getDeviceResponse's verifier → setDeviceStatusRemembered → listDevices → DEVICE_SRP_AUTH with
// the cached key → forgetDevice), device SRP by hand over the SDK (a wrong claim, a replayed secret block), a
// remembered device standing in for MFA, and the Admin* device actions.
import { AuthenticationDetails, CognitoUser, CognitoUserPool, type CognitoUserSession } from 'amazon-cognito-identity-js';
import {
  AdminForgetDeviceCommand,
  AdminGetDeviceCommand,
  AdminListDevicesCommand,
  AdminUpdateDeviceStatusCommand,
  ConfirmDeviceCommand,
  GetDeviceCommand,
  InitiateAuthCommand,
  ListDevicesCommand,
  RespondToAuthChallengeCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { makeVerifier } from '../../src/crypto/srp.js';
import { describeEachBackend, startTestCorral, type TestCorral } from '../support/corral.js';
import { enrollTotp, requireTotpMfa } from '../support/mfa.js';
import { createWildRydesPool, type SeedPool } from '../support/pools.js';
import { SrpClient } from '../support/srp-client.js';
import { publicClient, signUpConfirmed } from '../support/users.js';

const PASSWORD = 'Unicorn!Ride42';
const DEVICE_KEY = /^us-east-1_[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function payload(jwt: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
}

type Callback<T> = { onSuccess: (r: T) => void; onFailure: (e: unknown) => void };
const call = <T>(f: (cb: Callback<T>) => void) => new Promise<T>((resolve, reject) => f({ onSuccess: resolve, onFailure: reject }));

describeEachBackend('remembered devices', (backend) => {
  let corral: TestCorral;
  let seed: SeedPool;
  let pub: CognitoIdentityProviderClient;
  beforeAll(async () => {
    corral = await startTestCorral({ backend });
    // The user chooses (DeviceOnlyRememberedOnUserPrompt); a remembered device stands in for MFA.
    seed = await createWildRydesPool(corral, { DeviceConfiguration: { ChallengeRequiredOnNewDevice: true, DeviceOnlyRememberedOnUserPrompt: true } });
    pub = publicClient(corral);
  });
  afterAll(async () => {
    pub.destroy();
    await corral.stop();
  });

  const passwordSignIn = (username: string, deviceKey?: string) =>
    pub.send(
      new InitiateAuthCommand({
        ClientId: seed.clientId,
        AuthFlow: 'USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: username, PASSWORD: PASSWORD, ...(deviceKey ? { DEVICE_KEY: deviceKey } : {}) },
      }),
    );

  /** Signs in as a new device and confirms it over the SDK with a verifier of our own. */
  async function confirmedDevice(username: string) {
    const first = await passwordSignIn(username);
    const { DeviceKey, DeviceGroupKey } = first.AuthenticationResult!.NewDeviceMetadata!;
    const devicePassword = 'device-secret-' + username;
    const v = makeVerifier(DeviceGroupKey!, DeviceKey!, devicePassword);
    const confirmed = await pub.send(
      new ConfirmDeviceCommand({
        AccessToken: first.AuthenticationResult!.AccessToken!,
        DeviceKey,
        DeviceName: 'SDK test device',
        DeviceSecretVerifierConfig: { Salt: v.salt.toString('base64'), PasswordVerifier: v.verifier.toString('base64') },
      }),
    );
    expect(confirmed.UserConfirmationNecessary).toBe(true);
    return { deviceKey: DeviceKey!, groupKey: DeviceGroupKey!, devicePassword, accessToken: first.AuthenticationResult!.AccessToken! };
  }

  it('amazon-cognito-identity-js: new device → confirmDevice → remembered → listDevices → DEVICE_SRP_AUTH with the cached key → forgetDevice', async () => {
    await signUpConfirmed(corral, seed, 'jsdevice', PASSWORD, { email: 'jsdevice@example.com' });
    const pool = new CognitoUserPool({ UserPoolId: seed.poolId, ClientId: seed.clientId, endpoint: corral.url });
    const signIn = () =>
      new Promise<{ session: CognitoUserSession; userConfirmationNecessary?: boolean; user: CognitoUser }>((resolve, reject) => {
        const user = new CognitoUser({ Username: 'jsdevice', Pool: pool });
        user.authenticateUser(new AuthenticationDetails({ Username: 'jsdevice', Password: PASSWORD }), {
          onSuccess: (session, userConfirmationNecessary) => resolve({ session, userConfirmationNecessary, user }),
          onFailure: reject,
        });
      });

    // First sign-in: NewDeviceMetadata; the library derives the device verifier and calls ConfirmDevice itself.
    const first = await signIn();
    expect(first.userConfirmationNecessary).toBe(true);
    const deviceKey = (first.user as unknown as { deviceKey: string }).deviceKey;
    expect(deviceKey).toMatch(DEVICE_KEY);
    expect(payload(first.session.getAccessToken().getJwtToken()).device_key).toBe(deviceKey);

    const before = await call<{ Device: { DeviceAttributes: { Name: string; Value: string }[] } }>((cb) => first.user.getDevice(cb as never));
    expect(before.Device.DeviceAttributes).toContainEqual({ Name: 'device_status', Value: 'valid' });
    await call<string>((cb) => first.user.setDeviceStatusRemembered(cb));
    const listed = await call<{
      Devices: { DeviceKey: string; DeviceAttributes: { Name: string; Value: string }[]; DeviceCreateDate: number; DeviceLastAuthenticatedDate: number }[];
    }>((cb) => first.user.listDevices(10, null, cb));
    expect(listed.Devices).toHaveLength(1);
    expect(listed.Devices[0]!.DeviceKey).toBe(deviceKey);
    expect(listed.Devices[0]!.DeviceAttributes).toContainEqual({ Name: 'device_status', Value: 'remembered' });
    expect(listed.Devices[0]!.DeviceAttributes.find((a) => a.Name === 'device_name')?.Value).toBeTruthy();
    expect(typeof listed.Devices[0]!.DeviceCreateDate).toBe('number');

    // Second sign-in: the cached device key → PASSWORD_VERIFIER → DEVICE_SRP_AUTH → DEVICE_PASSWORD_VERIFIER → tokens
    // that carry the remembered device's key (a new device would get a new key).
    const second = await signIn();
    expect(payload(second.session.getAccessToken().getJwtToken()).device_key).toBe(deviceKey);
    expect(second.userConfirmationNecessary).toBeUndefined();
    const again = await call<{ Devices: unknown[] }>((cb) => second.user.listDevices(10, null, cb));
    expect(again.Devices).toHaveLength(1);

    // A refresh keeps the device key.
    const refreshed = await new Promise<CognitoUserSession>((resolve, reject) =>
      second.user.refreshSession(second.session.getRefreshToken(), (err, s: CognitoUserSession) => (err ? reject(err) : resolve(s))),
    );
    expect(payload(refreshed.getAccessToken().getJwtToken()).device_key).toBe(deviceKey);

    await call<string>((cb) => second.user.forgetDevice(cb));
    expect((await call<{ Devices: unknown[] }>((cb) => second.user.listDevices(10, null, cb))).Devices).toHaveLength(0);
    // Forgotten: the next sign-in is a new device again.
    const third = await signIn();
    const newKey = (third.user as unknown as { deviceKey: string }).deviceKey;
    expect(newKey).toMatch(DEVICE_KEY);
    expect(newKey).not.toBe(deviceKey);
  });

  it('device SRP over the SDK: the right claim signs in; a wrong claim and a replayed secret block are refused', async () => {
    await signUpConfirmed(corral, seed, 'sdkdevice', PASSWORD, { email: 'sdkdevice@example.com' });
    const d = await confirmedDevice('sdkdevice');
    expect((await pub.send(new GetDeviceCommand({ AccessToken: d.accessToken, DeviceKey: d.deviceKey }))).Device!.DeviceAttributes).toEqual([
      { Name: 'device_status', Value: 'valid' },
      { Name: 'device_name', Value: 'SDK test device' },
    ]);

    const deviceChallenge = async () => {
      const start = await passwordSignIn('sdkdevice', d.deviceKey);
      expect(start.ChallengeName).toBe('DEVICE_SRP_AUTH');
      expect(start.AuthenticationResult).toBeUndefined();
      const srp = new SrpClient(`x_${d.groupKey}`);
      const step = await pub.send(
        new RespondToAuthChallengeCommand({
          ClientId: seed.clientId,
          ChallengeName: 'DEVICE_SRP_AUTH',
          Session: start.Session,
          ChallengeResponses: { USERNAME: 'sdkdevice', DEVICE_KEY: d.deviceKey, SRP_A: srp.srpA },
        }),
      );
      expect(step.ChallengeName).toBe('DEVICE_PASSWORD_VERIFIER');
      expect(step.ChallengeParameters).toMatchObject({ DEVICE_KEY: d.deviceKey, USERNAME: 'sdkdevice' });
      expect(Object.keys(step.ChallengeParameters!)).toEqual(expect.arrayContaining(['SALT', 'SRP_B', 'SECRET_BLOCK']));
      const claim = srp.respond(d.devicePassword, { ...step.ChallengeParameters, USER_ID_FOR_SRP: d.deviceKey } as never);
      return { step, claim };
    };
    const answer = (session: string | undefined, responses: Record<string, string>) =>
      pub.send(
        new RespondToAuthChallengeCommand({
          ClientId: seed.clientId,
          ChallengeName: 'DEVICE_PASSWORD_VERIFIER',
          Session: session,
          ChallengeResponses: { ...responses, USERNAME: 'sdkdevice', DEVICE_KEY: d.deviceKey },
        }),
      );

    // A claim computed with another device password is refused.
    const wrong = await deviceChallenge();
    const bad = { ...wrong.claim, PASSWORD_CLAIM_SIGNATURE: Buffer.alloc(32, 7).toString('base64') };
    await expect(answer(wrong.step.Session, bad)).rejects.toMatchObject({ name: 'NotAuthorizedException', message: 'Incorrect username or password.' });

    // The right claim signs in: tokens carry the device key, no NewDeviceMetadata.
    const right = await deviceChallenge();
    const done = await answer(right.step.Session, right.claim);
    expect(done.AuthenticationResult?.NewDeviceMetadata).toBeUndefined();
    expect(payload(done.AuthenticationResult!.AccessToken!).device_key).toBe(d.deviceKey);
    // …once: the same secret block again is refused.
    await expect(answer(right.step.Session, right.claim)).rejects.toMatchObject({ name: 'NotAuthorizedException', message: 'Invalid session for the user.' });

    // A claim with the wrong device password (a real SRP computation) is refused too.
    const wrongPassword = await (async () => {
      const start = await passwordSignIn('sdkdevice', d.deviceKey);
      const srp = new SrpClient(`x_${d.groupKey}`);
      const step = await pub.send(
        new RespondToAuthChallengeCommand({
          ClientId: seed.clientId,
          ChallengeName: 'DEVICE_SRP_AUTH',
          Session: start.Session,
          ChallengeResponses: { USERNAME: 'sdkdevice', DEVICE_KEY: d.deviceKey, SRP_A: srp.srpA },
        }),
      );
      return { step, claim: srp.respond('not-the-device-secret', { ...step.ChallengeParameters, USER_ID_FOR_SRP: d.deviceKey } as never) };
    })();
    await expect(answer(wrongPassword.step.Session, wrongPassword.claim)).rejects.toMatchObject({
      name: 'NotAuthorizedException',
      message: 'Incorrect username or password.',
    });

    // A refresh token from the device sign-in keeps device_key.
    const refreshed = await pub.send(
      new InitiateAuthCommand({
        ClientId: seed.clientId,
        AuthFlow: 'REFRESH_TOKEN_AUTH',
        AuthParameters: { REFRESH_TOKEN: done.AuthenticationResult!.RefreshToken!, DEVICE_KEY: d.deviceKey },
      }),
    );
    expect(refreshed.AuthenticationResult?.NewDeviceMetadata).toBeUndefined();
    expect(payload(refreshed.AuthenticationResult!.AccessToken!).device_key).toBe(d.deviceKey);
  });

  it('ConfirmDevice refuses a key the access token was not handed, and a second confirmation', async () => {
    await signUpConfirmed(corral, seed, 'confirmer', PASSWORD, { email: 'confirmer@example.com' });
    const d = await confirmedDevice('confirmer');
    const v = makeVerifier(d.groupKey, d.deviceKey, 'x');
    const config = { Salt: v.salt.toString('base64'), PasswordVerifier: v.verifier.toString('base64') };
    await expect(
      pub.send(new ConfirmDeviceCommand({ AccessToken: d.accessToken, DeviceKey: d.deviceKey, DeviceSecretVerifierConfig: config })),
    ).rejects.toMatchObject({
      name: 'DeviceKeyExistsException',
    });
    const other = await passwordSignIn('confirmer');
    await expect(
      pub.send(
        new ConfirmDeviceCommand({
          AccessToken: other.AuthenticationResult!.AccessToken!,
          DeviceKey: 'us-east-1_00000000-0000-4000-8000-000000000000',
          DeviceSecretVerifierConfig: config,
        }),
      ),
    ).rejects.toMatchObject({ name: 'ResourceNotFoundException', message: 'Device does not exist.' });
  });

  it('a remembered device stands in for MFA (ChallengeRequiredOnNewDevice); a new or not-remembered one does not', async () => {
    const mfaPool = await createWildRydesPool(corral, { DeviceConfiguration: { ChallengeRequiredOnNewDevice: true, DeviceOnlyRememberedOnUserPrompt: true } });
    await requireTotpMfa(corral.idp, mfaPool.poolId, 'OPTIONAL');
    await signUpConfirmed(corral, mfaPool, 'mfadevice', PASSWORD, { email: 'mfadevice@example.com' });
    const totp = await enrollTotp({ endpoint: corral.url, clientId: mfaPool.clientId, username: 'mfadevice', password: PASSWORD });
    const signIn = (deviceKey?: string) =>
      pub.send(
        new InitiateAuthCommand({
          ClientId: mfaPool.clientId,
          AuthFlow: 'USER_PASSWORD_AUTH',
          AuthParameters: { USERNAME: 'mfadevice', PASSWORD, ...(deviceKey ? { DEVICE_KEY: deviceKey } : {}) },
        }),
      );
    // A new device owes MFA; the answer's tokens carry NewDeviceMetadata.
    const first = await signIn();
    expect(first.ChallengeName).toBe('SOFTWARE_TOKEN_MFA');
    const mfa = await pub.send(
      new RespondToAuthChallengeCommand({
        ClientId: mfaPool.clientId,
        ChallengeName: 'SOFTWARE_TOKEN_MFA',
        Session: first.Session,
        ChallengeResponses: { USERNAME: 'mfadevice', SOFTWARE_TOKEN_MFA_CODE: totp.nextCode() },
      }),
    );
    const { DeviceKey, DeviceGroupKey } = mfa.AuthenticationResult!.NewDeviceMetadata!;
    const v = makeVerifier(DeviceGroupKey!, DeviceKey!, 'pw');
    await pub.send(
      new ConfirmDeviceCommand({
        AccessToken: mfa.AuthenticationResult!.AccessToken!,
        DeviceKey,
        DeviceSecretVerifierConfig: { Salt: v.salt.toString('base64'), PasswordVerifier: v.verifier.toString('base64') },
      }),
    );
    // Confirmed but not remembered (the user was not asked yet): MFA still.
    expect((await signIn(DeviceKey)).ChallengeName).toBe('SOFTWARE_TOKEN_MFA');
    await corral.idp.send(
      new AdminUpdateDeviceStatusCommand({ UserPoolId: mfaPool.poolId, Username: 'mfadevice', DeviceKey, DeviceRememberedStatus: 'remembered' }),
    );
    // Remembered: device authentication instead of MFA.
    expect((await signIn(DeviceKey)).ChallengeName).toBe('DEVICE_SRP_AUTH');
    // Without the key it is a new device: MFA.
    expect((await signIn()).ChallengeName).toBe('SOFTWARE_TOKEN_MFA');
  });

  it('Admin* device actions (signed): list, get, update status, forget', async () => {
    await signUpConfirmed(corral, seed, 'admindevice', PASSWORD, { email: 'admindevice@example.com' });
    const a = await confirmedDevice('admindevice');
    const b = await confirmedDevice('admindevice');
    const page1 = await corral.idp.send(new AdminListDevicesCommand({ UserPoolId: seed.poolId, Username: 'admindevice', Limit: 1 }));
    expect(page1.Devices).toHaveLength(1);
    expect(page1.PaginationToken).toBeTruthy();
    const page2 = await corral.idp.send(
      new AdminListDevicesCommand({ UserPoolId: seed.poolId, Username: 'admindevice', Limit: 1, PaginationToken: page1.PaginationToken }),
    );
    expect(page2.Devices).toHaveLength(1);
    expect(page2.PaginationToken).toBeUndefined();
    expect([page1.Devices![0]!.DeviceKey, page2.Devices![0]!.DeviceKey].sort()).toEqual([a.deviceKey, b.deviceKey].sort());

    await corral.idp.send(
      new AdminUpdateDeviceStatusCommand({
        UserPoolId: seed.poolId,
        Username: 'admindevice',
        DeviceKey: a.deviceKey,
        DeviceRememberedStatus: 'not_remembered',
      }),
    );
    const got = await corral.idp.send(new AdminGetDeviceCommand({ UserPoolId: seed.poolId, Username: 'admindevice', DeviceKey: a.deviceKey }));
    expect(got.Device!.DeviceKey).toBe(a.deviceKey);
    expect(got.Device!.DeviceAttributes).toContainEqual({ Name: 'device_status', Value: 'not_remembered' });
    expect(got.Device!.DeviceCreateDate).toBeInstanceOf(Date);
    expect(got.Device!.DeviceLastModifiedDate!.getTime()).toBeGreaterThanOrEqual(got.Device!.DeviceCreateDate!.getTime());

    await corral.idp.send(new AdminForgetDeviceCommand({ UserPoolId: seed.poolId, Username: 'admindevice', DeviceKey: a.deviceKey }));
    await expect(
      corral.idp.send(new AdminGetDeviceCommand({ UserPoolId: seed.poolId, Username: 'admindevice', DeviceKey: a.deviceKey })),
    ).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
      message: 'Device does not exist.',
    });
    const left = await pub.send(new ListDevicesCommand({ AccessToken: b.accessToken }));
    expect(left.Devices!.map((x) => x.DeviceKey)).toEqual([b.deviceKey]);
    // Another user's device is not found for this user.
    await signUpConfirmed(corral, seed, 'otherdevice', PASSWORD, { email: 'otherdevice@example.com' });
    await expect(
      corral.idp.send(new AdminGetDeviceCommand({ UserPoolId: seed.poolId, Username: 'otherdevice', DeviceKey: b.deviceKey })),
    ).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });
  });
});
