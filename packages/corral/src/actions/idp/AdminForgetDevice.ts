// AdminForgetDevice: forgets one of a user's devices.
import type { AdminForgetDeviceRequest } from '@aws-sdk/client-cognito-identity-provider';
import { action } from '../../wire/actions.js';
import { requirePool } from '../../domain/pools.js';
import { requireAdminUser } from '../../domain/admin-users.js';
import { forgetDevice } from '../../domain/devices.js';

export default action<AdminForgetDeviceRequest, Record<string, never>>(async (input, { app }) => {
  const pool = await requirePool(app, input.UserPoolId!);
  const user = await requireAdminUser(app, pool, input.Username!);
  await forgetDevice(app, pool, user, input.DeviceKey!);
  return {};
});
