// AdminGetDevice: one device of a user, named by username, alias or sub.
import type { AdminGetDeviceRequest, AdminGetDeviceResponse } from '@aws-sdk/client-cognito-identity-provider';
import { action } from '../../wire/actions.js';
import { requirePool } from '../../domain/pools.js';
import { requireAdminUser } from '../../domain/admin-users.js';
import { describeDevice, requireUserDevice } from '../../domain/devices.js';

export default action<AdminGetDeviceRequest, AdminGetDeviceResponse>(async (input, { app }) => {
  const pool = await requirePool(app, input.UserPoolId!);
  const user = await requireAdminUser(app, pool, input.Username!);
  return { Device: describeDevice(await requireUserDevice(app, pool, user, input.DeviceKey!)) };
});
