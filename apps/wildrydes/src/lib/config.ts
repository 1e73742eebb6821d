// The site's runtime configuration, fetched from /config.json at boot (served by server.mjs / the Vite dev server).
import { Amplify } from 'aws-amplify';

export interface SiteConfig {
  region: string;
  userPoolId: string;
  userPoolClientId: string;
  identityPoolId?: string;
  corralUrl: string;
  mailboxUrl?: string;
  tileUrl?: string;
}

export const OSM_TILES = 'https://tile.openstreetmap.org/{z}/{x}/{y}.png';

let current: SiteConfig | undefined;

export function siteConfig(): SiteConfig {
  if (!current) throw new Error('Wild Rydes is not configured yet');
  return current;
}

export function mailboxUrl(config: SiteConfig = siteConfig()): string {
  return config.mailboxUrl ?? `${config.corralUrl.replace(/\/+$/, '')}/_corral/mail`;
}

export class ConfigUnavailable extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
  }
}

export async function fetchConfig(): Promise<SiteConfig> {
  let res: Response;
  try {
    res = await fetch('/config.json', { cache: 'no-store' });
  } catch {
    throw new ConfigUnavailable('The Wild Rydes server did not answer.', true);
  }
  let body: unknown;
  try {
    body = await res.json();
  } catch {
    throw new ConfigUnavailable(`/config.json is not JSON (HTTP ${res.status}).`, false);
  }
  const record = (body ?? {}) as Record<string, unknown>;
  if (!res.ok) {
    const message = typeof record.error === 'string' ? record.error : `HTTP ${res.status}`;
    throw new ConfigUnavailable(message, res.status === 503);
  }
  for (const key of ['userPoolId', 'userPoolClientId', 'corralUrl'] as const) {
    if (typeof record[key] !== 'string' || !record[key]) {
      throw new ConfigUnavailable(`/config.json has no "${key}".`, false);
    }
  }
  return record as unknown as SiteConfig;
}

export function applyConfig(config: SiteConfig): void {
  current = config;
  const userPool = {
    userPoolId: config.userPoolId,
    userPoolClientId: config.userPoolClientId,
    userPoolEndpoint: config.corralUrl,
    loginWith: { email: true, username: true },
  };
  if (config.identityPoolId) {
    Amplify.configure({
      Auth: { Cognito: { ...userPool, identityPoolId: config.identityPoolId, identityPoolEndpoint: config.corralUrl } },
    });
  } else {
    Amplify.configure({ Auth: { Cognito: userPool } });
  }
}
