// Remembered devices (cognito-wire.md §4 "Device SRP"; DeviceConfigurationType).
//
// With the pool's DeviceConfiguration set ("device tracking"), a sign-in that does not come from a known device of
// the user ends with NewDeviceMetadata {DeviceKey `<region>_<uuid>`, DeviceGroupKey}; the new key rides in the
// access token's device_key (and on the refresh token). Nothing is stored yet: ConfirmDevice, called with that
// access token, stores the device with its SRP verifier (poolName → DeviceGroupKey, username → DeviceKey) and
// answers UserConfirmationNecessary = DeviceOnlyRememberedOnUserPrompt. The status is 'remembered' right away when
// the pool does not wait for the user's choice, else 'valid' until UpdateDeviceStatus.
//
// A later sign-in that names a confirmed device of the user in DEVICE_KEY (AuthParameters, or the challenge
// answers) proves the device with device SRP (challenges/device-srp.ts) before the tokens; those tokens carry the
// device's key and no NewDeviceMetadata. With ChallengeRequiredOnNewDevice a remembered device stands in for MFA.
//
// The DEVICE_KEY a sign-in claims is request state: the sign-in actions run their work inside
// `withSignInDevice(DEVICE_KEY, …)` so the shared flow (sign-in.ts, the challenge tables) need not pass it along.
//
// API:
//   withSignInDevice(deviceKey, fn) / withProvenDevice(deviceKey, fn)   the request's device context.
//   deviceAtSignIn(app, pool, user) → { deviceKey?, NewDeviceMetadata? }   issueTokens' hook.
//   claimedDevice(app, pool, user) → Device | undefined   the confirmed device of this user the request names.
//   confirmDevice, findUserDevice, requireUserDevice, listUserDevices, setDeviceStatus, forgetDevice, describeDevice.
import type { DeviceType, NewDeviceMetadataType } from '@aws-sdk/client-cognito-identity-provider';
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { DeviceKeyExistsException, InvalidParameterException, InvalidUserPoolConfigurationException, ResourceNotFoundException } from '../errors.js';
import { decrypt, encrypt, keyedHash } from '../crypto/box.js';
import { N, toBigInt } from '../crypto/srp.js';
import type { Device } from '../storage/devices.js';
import type { Corral } from '../runtime/app.js';
import { afterToken, pageToken, type Pool } from './pools.js';
import type { User } from './users.js';

const VERIFIER_PURPOSE = 'device-verifier';
const NOT_FOUND = 'Device does not exist.';

export type { Device, DeviceStatus } from '../storage/devices.js';

// ---------------------------------------------------------------------------------------------------------------
// The request's device context.

interface SignInDevice {
  /** DEVICE_KEY as the client sent it. */
  claimed?: string;
  /** The device key device SRP proved in this request. */
  proven?: string;
}

const context = new AsyncLocalStorage<SignInDevice>();

export function withSignInDevice<T>(deviceKey: string | undefined, fn: () => Promise<T>): Promise<T> {
  return context.run(typeof deviceKey === 'string' && deviceKey ? { claimed: deviceKey } : {}, fn);
}

export function withProvenDevice<T>(deviceKey: string, fn: () => Promise<T>): Promise<T> {
  return context.run({ ...context.getStore(), claimed: deviceKey, proven: deviceKey }, fn);
}

/** The DEVICE_KEY the current sign-in request names, if any. */
export function claimedDeviceKey(): string | undefined {
  return context.getStore()?.claimed;
}

// ---------------------------------------------------------------------------------------------------------------

/** The pool's device configuration, or undefined when device tracking is off. */
export function deviceTracking(pool: Pool): { challengeRequiredOnNewDevice: boolean; onlyRememberedOnUserPrompt: boolean } | undefined {
  const c = pool.settings.DeviceConfiguration;
  if (!c) return undefined;
  return { challengeRequiredOnNewDevice: c.ChallengeRequiredOnNewDevice === true, onlyRememberedOnUserPrompt: c.DeviceOnlyRememberedOnUserPrompt === true };
}

/** A DeviceKey like Cognito's: `<region>_<uuid>`. */
function newDeviceKey(pool: Pool): string {
  return `${pool.id.slice(0, pool.id.indexOf('_'))}_${randomUUID()}`;
}

const GROUP_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** The user's DeviceGroupKey (`-` and 8 alphanumerics), stable per user and derived from the server key. */
export function deviceGroupKey(app: Corral, pool: Pool, user: User): string {
  const h = Buffer.from(keyedHash(app.secrets.serverKey, 'device-group-key', `${pool.id}\u0000${user.sub}`), 'hex');
  let out = '-';
  for (let i = 0; out.length < 9; i++) out += GROUP_ALPHABET[h[i]! % GROUP_ALPHABET.length];
  return out;
}

/** The confirmed device of `user` that the current request names in DEVICE_KEY (undefined: none, or not theirs). */
export async function claimedDevice(app: Corral, pool: Pool, user: User): Promise<Device | undefined> {
  const key = claimedDeviceKey();
  if (!key || !deviceTracking(pool)) return undefined;
  return findUserDevice(app, pool, user, key);
}

/**
 * issueTokens' hook: the device key the tokens carry and, for a sign-in that did not come from a known device of
 * the user, NewDeviceMetadata (never on refresh: refreshSignIn does not call it).
 */
export async function deviceAtSignIn(app: Corral, pool: Pool, user: User): Promise<{ deviceKey?: string; NewDeviceMetadata?: NewDeviceMetadataType }> {
  const store = context.getStore();
  if (store?.proven) return { deviceKey: store.proven };
  if (!deviceTracking(pool)) return {};
  if (await claimedDevice(app, pool, user)) return {};
  const DeviceKey = newDeviceKey(pool);
  return { deviceKey: DeviceKey, NewDeviceMetadata: { DeviceKey, DeviceGroupKey: deviceGroupKey(app, pool, user) } };
}

// ---------------------------------------------------------------------------------------------------------------
// Storage.

export function deviceVerifier(app: Corral, device: Device): Buffer | undefined {
  return decrypt(app.secrets.serverKey, VERIFIER_PURPOSE, device.sealedVerifier);
}

export async function findUserDevice(app: Corral, pool: Pool, user: User, deviceKey: string): Promise<Device | undefined> {
  return app.store.devices.findForUser(pool.id, user.sub, deviceKey);
}

export async function requireUserDevice(app: Corral, pool: Pool, user: User, deviceKey: string): Promise<Device> {
  const device = await findUserDevice(app, pool, user, deviceKey);
  if (!device) throw new ResourceNotFoundException(NOT_FOUND);
  return device;
}

function decodeBase64(value: string | undefined, name: string): Buffer {
  if (typeof value !== 'string' || !/^[A-Za-z0-9+/]+={0,2}$/.test(value)) throw new InvalidParameterException(`Invalid ${name}.`);
  return Buffer.from(value, 'base64');
}

export interface ConfirmInput {
  deviceKey: string;
  /** device_key of the access token ConfirmDevice was called with. */
  tokenDeviceKey: string | undefined;
  salt: string | undefined;
  verifier: string | undefined;
  name: string | undefined;
}

/** ConfirmDevice: stores the device the access token's sign-in was handed; → UserConfirmationNecessary. */
export async function confirmDevice(app: Corral, pool: Pool, user: User, input: ConfirmInput): Promise<boolean> {
  const tracking = deviceTracking(pool);
  if (!tracking) throw new InvalidUserPoolConfigurationException('Device tracking is not enabled for this user pool.');
  if (input.tokenDeviceKey !== input.deviceKey) throw new ResourceNotFoundException(NOT_FOUND);
  const salt = decodeBase64(input.salt, 'DeviceSecretVerifierConfig.Salt');
  const verifier = decodeBase64(input.verifier, 'DeviceSecretVerifierConfig.PasswordVerifier');
  const v = toBigInt(verifier);
  if (salt.length === 0 || v <= 1n || v >= N) throw new InvalidParameterException('Invalid DeviceSecretVerifierConfig.');
  const now = app.now();
  const created = await app.store.devices.create({
    key: input.deviceKey,
    poolId: pool.id,
    userId: user.sub,
    groupKey: deviceGroupKey(app, pool, user),
    salt,
    sealedVerifier: encrypt(app.secrets.serverKey, VERIFIER_PURPOSE, verifier),
    name: input.name ?? null,
    attributes: {},
    status: tracking.onlyRememberedOnUserPrompt ? 'valid' : 'remembered',
    createdAt: now,
    updatedAt: now,
    lastAuthenticatedAt: now,
  });
  if (!created) throw new DeviceKeyExistsException('Device key already exists.');
  return tracking.onlyRememberedOnUserPrompt;
}

export async function setDeviceStatus(app: Corral, pool: Pool, user: User, deviceKey: string, status: string | undefined): Promise<void> {
  const device = await requireUserDevice(app, pool, user, deviceKey);
  if (status === undefined) return;
  if (status !== 'remembered' && status !== 'not_remembered') throw new InvalidParameterException('Invalid device remembered status.');
  await app.store.devices.setStatus(device.key, status, app.now());
}

export async function forgetDevice(app: Corral, pool: Pool, user: User, deviceKey: string): Promise<void> {
  const device = await requireUserDevice(app, pool, user, deviceKey);
  await app.store.devices.delete(device.key);
}

export async function deviceAuthenticated(app: Corral, device: Device): Promise<void> {
  await app.store.devices.touchAuthenticated(device.key, app.now());
}

const MAX_LIST = 60;

/** ListDevices / AdminListDevices: the user's devices by key, `limit` (1–60, default 60) a page. */
export async function listUserDevices(
  app: Corral,
  pool: Pool,
  user: User,
  limit: number | undefined,
  token: string | undefined,
): Promise<{ Devices: DeviceType[]; PaginationToken?: string }> {
  const after = afterToken(token);
  const size = limit && limit > 0 ? Math.min(limit, MAX_LIST) : MAX_LIST;
  const rows = await app.store.devices.listForUser(pool.id, user.sub, { after, limit: size + 1 });
  const page = rows.slice(0, size);
  return { Devices: page.map(describeDevice), ...(rows.length > size ? { PaginationToken: pageToken(page[page.length - 1]!.key) } : {}) };
}

/** DeviceType: the key, its attributes (device_status, device_name, …) and dates. */
export function describeDevice(d: Device): DeviceType {
  const attributes: Record<string, string> = { device_status: d.status, ...(d.name !== null ? { device_name: d.name } : {}), ...d.attributes };
  return {
    DeviceKey: d.key,
    DeviceAttributes: Object.entries(attributes).map(([Name, Value]) => ({ Name, Value })),
    DeviceCreateDate: new Date(d.createdAt),
    DeviceLastModifiedDate: new Date(d.updatedAt),
    ...(d.lastAuthenticatedAt !== null ? { DeviceLastAuthenticatedDate: new Date(d.lastAuthenticatedAt) } : {}),
  };
}
