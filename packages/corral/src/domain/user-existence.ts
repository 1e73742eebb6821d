// PreventUserExistenceErrors: with ENABLED (the default for new clients), flows answer for an unknown user
// exactly as for a known one, so callers cannot probe which usernames exist.
import type { CodeDeliveryDetailsType } from '@aws-sdk/client-cognito-identity-provider';
import { maskDestination } from '../messaging/index.js';
import type { Client, Pool } from './pools.js';
import { isEmail, isPhoneNumber } from './user-attributes.js';

export function preventsUserExistenceErrors(client: Client): boolean {
  return client.settings.PreventUserExistenceErrors === 'ENABLED';
}

/** A plausible CodeDeliveryDetails for a user that does not exist. */
export function simulatedDelivery(pool: Pool, username: string): CodeDeliveryDetailsType {
  const sms = isPhoneNumber(username) || (!isEmail(username) && (pool.settings.AutoVerifiedAttributes ?? []).includes('phone_number'));
  const to = sms ? (isPhoneNumber(username) ? username : '+10000000000') : isEmail(username) ? username : `${username}@example.com`;
  return sms
    ? { Destination: maskDestination('SMS', to), DeliveryMedium: 'SMS', AttributeName: 'phone_number' }
    : { Destination: maskDestination('EMAIL', to), DeliveryMedium: 'EMAIL', AttributeName: 'email' };
}
