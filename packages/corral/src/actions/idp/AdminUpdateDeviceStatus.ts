// AdminUpdateDeviceStatus: marks a user's device remembered or not_remembered.
import type { AdminUpdateDeviceStatusRequest, AdminUpdateDeviceStatusResponse } from '@aws-sdk/client-cognito-identity-provider';
import { action } from '../../wire/actions.js';
import { requirePool } from '../../domain/pools.js';
import { requireAdminUser } from '../../domain/admin-users.js';
import { setDeviceStatus } from '../../domain/devices.js';

export default action<AdminUpdateDeviceStatusRequest, AdminUpdateDeviceStatusResponse>(async (input, { app }) => {
  const pool = await requirePool(app, input.UserPoolId!);
  const user = await requireAdminUser(app, pool, input.Username!);
  await setDeviceStatus(app, pool, user, input.DeviceKey!, input.DeviceRememberedStatus);
  return {};
});
