// ForgetDevice: the signed-in user forgets one of their devices (it signs in as a new device again).
import type { ForgetDeviceRequest } from '@aws-sdk/client-cognito-identity-provider';
import { action } from '../../wire/actions.js';
import { InvalidParameterException } from '../../errors.js';
import { authenticate } from '../../domain/access.js';
import { forgetDevice } from '../../domain/devices.js';

export default action<ForgetDeviceRequest, Record<string, never>>(async (input, { app }) => {
  if (!input.AccessToken) throw new InvalidParameterException('Missing required parameter AccessToken');
  const { pool, user } = await authenticate(app, input.AccessToken);
  await forgetDevice(app, pool, user, input.DeviceKey!);
  return {};
});
