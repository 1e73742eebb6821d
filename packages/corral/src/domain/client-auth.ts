// What an app client allows and proves: its SECRET_HASH and its enabled auth flows.
import { createHmac } from 'node:crypto';
import { InvalidParameterException, NotAuthorizedException } from '../errors.js';
import { safeEqual } from '../crypto/box.js';
import type { Client } from './pools.js';

/** base64(HMAC-SHA256(key = client secret, message = username + client id)). */
export function secretHash(secret: string, username: string, clientId: string): string {
  return createHmac('sha256', secret).update(username + clientId, 'utf8').digest('base64');
}

/** A client with a secret must prove it; one without ignores a SECRET_HASH. */
export function checkSecretHash(client: Client, username: string, given: string | undefined): void {
  if (!client.secret) return;
  if (!given) throw new NotAuthorizedException(`Client ${client.id} is configured with secret but SECRET_HASH was not received`);
  if (!safeEqual(secretHash(client.secret, username, client.id), given)) {
    throw new NotAuthorizedException(`Unable to verify secret hash for client ${client.id}`);
  }
}

/** For flows that pass the secret itself (GetTokensFromRefreshToken's ClientSecret). */
export function checkClientSecret(client: Client, given: string | undefined): void {
  if (!client.secret) return;
  if (!given || !safeEqual(client.secret, given)) throw new NotAuthorizedException(`Client ${client.id} is configured with secret but ClientSecret was not received`);
}

const LEGACY: Record<string, string> = {
  USER_SRP_AUTH: 'ALLOW_USER_SRP_AUTH',
  USER_PASSWORD_AUTH: 'USER_PASSWORD_AUTH',
  ADMIN_USER_PASSWORD_AUTH: 'ADMIN_NO_SRP_AUTH',
  CUSTOM_AUTH: 'CUSTOM_AUTH_FLOW_ONLY',
};

/** Refuses an auth flow the client's ExplicitAuthFlows does not enable, as Cognito words it. */
export function checkFlowEnabled(client: Client, flow: string): void {
  const enabled = client.settings.ExplicitAuthFlows ?? [];
  const modern = `ALLOW_${flow === 'REFRESH_TOKEN' ? 'REFRESH_TOKEN_AUTH' : flow}`;
  if (flow === 'REFRESH_TOKEN_AUTH' || flow === 'REFRESH_TOKEN') {
    // Refresh is always possible for clients using legacy flow names; modern lists must allow it.
    if (enabled.some((f) => f.startsWith('ALLOW_')) && !enabled.includes('ALLOW_REFRESH_TOKEN_AUTH')) {
      throw new InvalidParameterException('Refresh Token flow not enabled for this client');
    }
    return;
  }
  if (enabled.includes(modern as never) || (LEGACY[flow] && enabled.includes(LEGACY[flow] as never))) return;
  if (flow === 'USER_SRP_AUTH' && enabled.length === 0) return;
  throw new InvalidParameterException(`${flow} flow not enabled for this client`);
}
