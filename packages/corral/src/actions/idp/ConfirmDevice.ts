// ConfirmDevice: stores the device a sign-in was handed in NewDeviceMetadata (its key is the access token's
// device_key) with its SRP verifier → UserConfirmationNecessary (the pool's DeviceOnlyRememberedOnUserPrompt).
import type { ConfirmDeviceRequest, ConfirmDeviceResponse } from '@aws-sdk/client-cognito-identity-provider';
import { action } from '../../wire/actions.js';
import { authenticate } from '../../domain/access.js';
import { confirmDevice } from '../../domain/devices.js';

export default action<ConfirmDeviceRequest, ConfirmDeviceResponse>(async (input, { app }) => {
  const { pool, user, claims } = await authenticate(app, input.AccessToken!);
  const UserConfirmationNecessary = await confirmDevice(app, pool, user, {
    deviceKey: input.DeviceKey!,
    tokenDeviceKey: claims.device_key,
    salt: input.DeviceSecretVerifierConfig?.Salt,
    verifier: input.DeviceSecretVerifierConfig?.PasswordVerifier,
    name: input.DeviceName,
  });
  return { UserConfirmationNecessary };
});
