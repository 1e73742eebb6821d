// AdminListDevices: a user's devices, Limit (up to 60) a page.
import type { AdminListDevicesRequest, AdminListDevicesResponse } from '@aws-sdk/client-cognito-identity-provider';
import { action } from '../../wire/actions.js';
import { requirePool } from '../../domain/pools.js';
import { requireAdminUser } from '../../domain/admin-users.js';
import { listUserDevices } from '../../domain/devices.js';

export default action<AdminListDevicesRequest, AdminListDevicesResponse>(async (input, { app }) => {
  const pool = await requirePool(app, input.UserPoolId!);
  const user = await requireAdminUser(app, pool, input.Username!);
  return listUserDevices(app, pool, user, input.Limit, input.PaginationToken);
});
