// UpdateDeviceStatus: the signed-in user marks one of their devices remembered or not_remembered.
import type { UpdateDeviceStatusRequest, UpdateDeviceStatusResponse } from '@aws-sdk/client-cognito-identity-provider';
import { action } from '../../wire/actions.js';
import { authenticate } from '../../domain/access.js';
import { setDeviceStatus } from '../../domain/devices.js';

export default action<UpdateDeviceStatusRequest, UpdateDeviceStatusResponse>(async (input, { app }) => {
  const { pool, user } = await authenticate(app, input.AccessToken!);
  await setDeviceStatus(app, pool, user, input.DeviceKey!, input.DeviceRememberedStatus);
  return {};
});
