// ListDevices: the signed-in user's devices, Limit (up to 60) a page.
import type { ListDevicesRequest, ListDevicesResponse } from '@aws-sdk/client-cognito-identity-provider';
import { action } from '../../wire/actions.js';
import { authenticate } from '../../domain/access.js';
import { listUserDevices } from '../../domain/devices.js';

export default action<ListDevicesRequest, ListDevicesResponse>(async (input, { app }) => {
  const { pool, user } = await authenticate(app, input.AccessToken!);
  return listUserDevices(app, pool, user, input.Limit, input.PaginationToken);
});
