// GetDevice: one of the signed-in user's devices.
import type { GetDeviceRequest, GetDeviceResponse } from '@aws-sdk/client-cognito-identity-provider';
import { action } from '../../wire/actions.js';
import { InvalidParameterException } from '../../errors.js';
import { authenticate } from '../../domain/access.js';
import { describeDevice, requireUserDevice } from '../../domain/devices.js';

export default action<GetDeviceRequest, GetDeviceResponse>(async (input, { app }) => {
  if (!input.AccessToken) throw new InvalidParameterException('Missing required parameter AccessToken');
  const { pool, user } = await authenticate(app, input.AccessToken);
  return { Device: describeDevice(await requireUserDevice(app, pool, user, input.DeviceKey!)) };
});
