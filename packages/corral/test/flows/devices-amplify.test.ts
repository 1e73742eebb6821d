// aws-amplify v6 (Node) and remembered devices: signIn (NewDeviceMetadata → ConfirmDevice inside Amplify) →
// rememberDevice → fetchDevices → sign out and in again (DEVICE_SRP_AUTH through handleDeviceSRPAuth) → forgetDevice.
import { Amplify } from 'aws-amplify';
import { fetchAuthSession, fetchDevices, forgetDevice, rememberDevice, signIn, signOut } from 'aws-amplify/auth';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestCorral, type TestCorral } from '../support/corral.js';
import { createWildRydesPool, type SeedPool } from '../support/pools.js';
import { signUpConfirmed } from '../support/users.js';

const PASSWORD = 'Unicorn!Ride42';

describe('aws-amplify v6: remembered devices', () => {
  let corral: TestCorral;
  let seed: SeedPool;
  beforeAll(async () => {
    // Amplify names the device from `navigator` (getDeviceName); Node 20 has none, a browser always does.
    if (typeof (globalThis as { navigator?: unknown }).navigator === 'undefined') vi.stubGlobal('navigator', { userAgent: 'Mozilla/5.0 (corral test)' });
    corral = await startTestCorral();
    seed = await createWildRydesPool(corral, { DeviceConfiguration: { ChallengeRequiredOnNewDevice: true, DeviceOnlyRememberedOnUserPrompt: true } });
    Amplify.configure({ Auth: { Cognito: { userPoolId: seed.poolId, userPoolClientId: seed.clientId, userPoolEndpoint: corral.url } } });
  });
  afterAll(async () => {
    vi.unstubAllGlobals();
    await corral.stop();
  });

  it('signIn → rememberDevice → fetchDevices → signIn again with the device (DEVICE_SRP_AUTH) → forgetDevice', async () => {
    await signUpConfirmed(corral, seed, 'amplifydevice', PASSWORD, { email: 'amplifydevice@example.com' });
    expect((await signIn({ username: 'amplifydevice', password: PASSWORD })).isSignedIn).toBe(true);
    const deviceKey = (await fetchAuthSession()).tokens!.accessToken.payload.device_key as string;
    expect(deviceKey).toMatch(/^us-east-1_[0-9a-f-]{36}$/);

    await rememberDevice();
    const devices = await fetchDevices();
    expect(devices).toHaveLength(1);
    expect(devices[0]).toMatchObject({ id: deviceKey, attributes: { device_status: 'remembered' } });
    expect(devices[0]!.name).toBe('Mozilla/5.0 (corral test)');
    expect(devices[0]!.createDate).toBeInstanceOf(Date);

    await signOut();
    expect((await signIn({ username: 'amplifydevice', password: PASSWORD })).isSignedIn).toBe(true);
    // The remembered device signed in: its key, not a new one.
    expect((await fetchAuthSession()).tokens!.accessToken.payload.device_key).toBe(deviceKey);
    expect(await fetchDevices()).toHaveLength(1);

    await forgetDevice();
    expect(await fetchDevices()).toHaveLength(0);
    await signOut();
  });
});
