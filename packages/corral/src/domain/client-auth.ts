// What an app client allows and proves: its SECRET_HASH and its enabled auth flows.
import { createHmac } from 'node:crypto';
import { InvalidParameterException, NotAuthorizedException } from '../errors.js';
import { safeEqual } from '../crypto/box.js';
import type { Client } from './pools.js';

/** base64(HMAC-SHA256(key = client secret, message = username + client id)). */
export function secretHash(secret: string, username: string, clientId: string): string {
  return createHmac('sha256', secret)
    .update(username + clientId, 'utf8')
    .digest('base64');
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
  if (!given || !safeEqual(client.secret, given))
    throw new NotAuthorizedException(`Client ${client.id} is configured with secret but ClientSecret was not received`);
}

// The legacy ExplicitAuthFlows values (before the ALLOW_ names of November 2019) that enable an AuthFlow.
const LEGACY: Record<string, string> = {
  USER_PASSWORD_AUTH: 'USER_PASSWORD_AUTH',
  ADMIN_USER_PASSWORD_AUTH: 'ADMIN_NO_SRP_AUTH',
  CUSTOM_AUTH: 'CUSTOM_AUTH_FLOW_ONLY',
};

/** A list of legacy names only (ADMIN_NO_SRP_AUTH, CUSTOM_AUTH_FLOW_ONLY, USER_PASSWORD_AUTH): none begins with ALLOW_. */
const isLegacyList = (flows: readonly string[]) => flows.length > 0 && !flows.some((f) => f.startsWith('ALLOW_'));

/**
 * Refuses an auth flow the client's ExplicitAuthFlows does not enable, as Cognito words it. A client configured
 * with legacy names only keeps what such clients always had: SRP sign-in and refresh (the legacy names only
 * added password and custom flows) — so Amplify's default USER_SRP_AUTH works on them, as on AWS.
 */
export function checkFlowEnabled(client: Client, flow: string): void {
  const enabled = client.settings.ExplicitAuthFlows ?? [];
  const legacyList = isLegacyList(enabled);
  if (flow === 'REFRESH_TOKEN_AUTH' || flow === 'REFRESH_TOKEN') {
    if (!legacyList && enabled.length > 0 && !enabled.includes('ALLOW_REFRESH_TOKEN_AUTH')) {
      throw new InvalidParameterException('Refresh Token flow not enabled for this client');
    }
    return;
  }
  if (enabled.length === 0 && flow === 'USER_SRP_AUTH') return;
  if (legacyList && flow === 'USER_SRP_AUTH') return;
  if (legacyList ? enabled.includes(LEGACY[flow] as never) : enabled.includes(`ALLOW_${flow}` as never)) return;
  throw new InvalidParameterException(`${flow} flow not enabled for this client`);
}
