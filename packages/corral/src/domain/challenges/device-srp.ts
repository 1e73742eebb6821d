// Device SRP (cognito-wire.md §4): a sign-in naming a confirmed device of the user in DEVICE_KEY proves the device
// after the password (and after MFA, unless the remembered device stands in for it):
//   DEVICE_SRP_AUTH           client → {USERNAME, DEVICE_KEY, SRP_A}
//   DEVICE_PASSWORD_VERIFIER  server → {SALT, SRP_B, SECRET_BLOCK, DEVICE_KEY, USERNAME}
//                             client → {USERNAME, PASSWORD_CLAIM_SECRET_BLOCK, TIMESTAMP, PASSWORD_CLAIM_SIGNATURE,
//                                       DEVICE_KEY}, the claim computed with poolName → DeviceGroupKey and
//                                       userIdForSrp → DeviceKey against the verifier from ConfirmDevice → tokens.
// The SRP state (b, A, B) rides in the sealed SECRET_BLOCK, which is spent once; a wrong claim answers
// NotAuthorizedException "Incorrect username or password.".
//
// MFA and remembered devices (DeviceConfigurationType): with ChallengeRequiredOnNewDevice, a remembered device signs
// in with device authentication instead of MFA; any other device (new, unconfirmed, not remembered) still owes MFA
// when the user has it (or the pool requires it).
import { InvalidParameterException, NotAuthorizedException } from '../../errors.js';
import { seal, strictBase64, unseal } from '../../crypto/box.js';
import { startSrp, validTimestamp, verifyClaim } from '../../crypto/srp.js';
import { sessionTtlSeconds, spendOnce } from '../auth-session.js';
import { claimedDevice, deviceAuthenticated, deviceTracking, deviceVerifier, requireUserDevice, withProvenDevice } from '../devices.js';
import { issueTokens } from '../sign-in.js';
import type { ChallengeAnswer, PendingChallenge } from './tables.js';
import { challengeStep, sessionUser } from './mfa.js';

const SECRET_BLOCK_PURPOSE = 'device-srp-secret-block';
const INCORRECT = 'Incorrect username or password.';

interface DeviceSrpState {
  poolId: string;
  clientId: string;
  sub: string;
  deviceKey: string;
  srpA: string;
  srpB: string;
  b: string;
}

/** MFA unless the sign-in comes from a remembered device that the pool lets stand in for it. */
export function unlessRememberedDevice(mfa: PendingChallenge): PendingChallenge {
  return async (app, pool, client, user) => {
    if (deviceTracking(pool)?.challengeRequiredOnNewDevice && (await claimedDevice(app, pool, user))?.status === 'remembered') return undefined;
    return mfa(app, pool, client, user);
  };
}

/** After the password (and MFA): DEVICE_SRP_AUTH when DEVICE_KEY names a confirmed device of the user. */
export const deviceSrpRequired: PendingChallenge = async (app, pool, client, user) => {
  const device = await claimedDevice(app, pool, user);
  if (!device) return undefined;
  return challengeStep(app, client, user, 'DEVICE_SRP_AUTH', { USERNAME: user.username }, { deviceKey: device.key });
};

function required(responses: Record<string, string>, name: string): string {
  const v = responses[name];
  if (!v) throw new InvalidParameterException(`Missing required parameter ${name}`);
  return v;
}

export const answerDeviceSrpAuth: ChallengeAnswer = async (app, pool, client, input) => {
  const { state, user } = await sessionUser(app, pool, client, input, 'DEVICE_SRP_AUTH');
  const responses = input.ChallengeResponses ?? {};
  const deviceKey = required(responses, 'DEVICE_KEY');
  const srpA = required(responses, 'SRP_A');
  if (deviceKey !== state.data?.deviceKey) throw new NotAuthorizedException('Invalid session for the user.');
  const device = await requireUserDevice(app, pool, user, deviceKey);
  const verifier = deviceVerifier(app, device);
  if (!verifier) throw new NotAuthorizedException(INCORRECT);
  const start = startSrp(verifier, srpA);
  if (!start) throw new InvalidParameterException('SRP_A is not a valid SRP value.');
  const secret: DeviceSrpState = { poolId: pool.id, clientId: client.id, sub: user.sub, deviceKey, srpA, srpB: start.srpB, b: start.b.toString('hex') };
  const secretBlock = Buffer.from(seal(app.secrets.serverKey, SECRET_BLOCK_PURPOSE, secret, sessionTtlSeconds(client), app.now())).toString('base64');
  return challengeStep(
    app,
    client,
    user,
    'DEVICE_PASSWORD_VERIFIER',
    { SALT: device.salt.toString('hex'), SRP_B: start.srpB, SECRET_BLOCK: secretBlock, DEVICE_KEY: deviceKey, USERNAME: user.username },
    { deviceKey },
  );
};

export const answerDevicePasswordVerifier: ChallengeAnswer = async (app, pool, client, input) => {
  const { state, user } = await sessionUser(app, pool, client, input, 'DEVICE_PASSWORD_VERIFIER');
  const responses = input.ChallengeResponses ?? {};
  const secretBlock = required(responses, 'PASSWORD_CLAIM_SECRET_BLOCK');
  const signature = required(responses, 'PASSWORD_CLAIM_SIGNATURE');
  const timestamp = required(responses, 'TIMESTAMP');
  const deviceKey = required(responses, 'DEVICE_KEY');
  const opened = unseal<DeviceSrpState>(app.secrets.serverKey, SECRET_BLOCK_PURPOSE, strictBase64(secretBlock)?.toString('utf8') ?? '', app.now());
  if (!opened.ok)
    throw new NotAuthorizedException(opened.reason === 'expired' ? 'Invalid session for the user, session is expired.' : 'Invalid session for the user.');
  const srp = opened.payload;
  if (srp.clientId !== client.id || srp.poolId !== pool.id || srp.sub !== user.sub || srp.deviceKey !== deviceKey || state.data?.deviceKey !== deviceKey) {
    throw new NotAuthorizedException('Invalid session for the user.');
  }
  await spendOnce(app, secretBlock, sessionTtlSeconds(client));
  if (!validTimestamp(timestamp)) throw new NotAuthorizedException(INCORRECT);
  const device = await requireUserDevice(app, pool, user, deviceKey);
  const verifier = deviceVerifier(app, device);
  const ok =
    !!verifier &&
    verifyClaim({
      poolName: device.groupKey,
      userIdForSrp: device.key,
      salt: device.salt,
      verifier,
      srpA: srp.srpA,
      srpB: srp.srpB,
      b: Buffer.from(srp.b, 'hex'),
      secretBlock,
      timestamp,
      signature,
    });
  if (!ok) throw new NotAuthorizedException(INCORRECT);
  await deviceAuthenticated(app, device);
  return withProvenDevice(device.key, async () => ({ AuthenticationResult: await issueTokens(app, pool, client, user), ChallengeParameters: {} }));
};
