// The site's runtime configuration, fetched from /config.json at boot (served by server.mjs / the Vite dev server).
import { Amplify, type ResourcesConfig } from 'aws-amplify';
import { cognitoCredentialsProvider, cognitoUserPoolsTokenProvider } from 'aws-amplify/auth/cognito';

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

/** The local mailbox, relayed by the site's own server (server.mjs; Corral's mailbox sends no CORS headers). */
export function mailboxUrl(config: SiteConfig = siteConfig()): string {
  return config.mailboxUrl ?? '/_corral/mail';
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

type CredentialsProvider = NonNullable<NonNullable<NonNullable<Parameters<typeof Amplify.configure>[1]>['Auth']>['credentialsProvider']>;

let identityPoolProblem: string | undefined;

/** Why the identity pool gave no credentials the last time we asked (undefined when it did, or was not asked). */
export const lastIdentityPoolProblem = (): string | undefined => identityPoolProblem;

/**
 * Module 1 needs only the user pool; identity-pool credentials are for the later ride API. Amplify's own provider
 * makes every call that reads the session (fetchUserAttributes, updateUserAttributes, …) fail when the identity pool
 * does not answer, so we ask it, remember what went wrong, and carry on with the user pool tokens.
 */
const forgivingCredentials: CredentialsProvider = {
  async getCredentialsAndIdentityId(options) {
    try {
      const result = await cognitoCredentialsProvider.getCredentialsAndIdentityId(options);
      identityPoolProblem = undefined;
      return result;
    } catch (err) {
      identityPoolProblem = err instanceof Error ? err.message : String(err);
      console.warn('Identity pool credentials unavailable:', identityPoolProblem);
      return undefined;
    }
  },
  clearCredentialsAndIdentityId() {
    cognitoCredentialsProvider.clearCredentialsAndIdentityId().catch((err: unknown) => console.warn('Could not clear identity pool credentials:', err));
  },
};

export function applyConfig(config: SiteConfig): void {
  current = config;
  const userPool = {
    userPoolId: config.userPoolId,
    userPoolClientId: config.userPoolClientId,
    userPoolEndpoint: config.corralUrl,
    loginWith: { email: true, username: true },
  };
  const auth: ResourcesConfig['Auth'] = config.identityPoolId
    ? { Cognito: { ...userPool, identityPoolId: config.identityPoolId, identityPoolEndpoint: config.corralUrl } }
    : { Cognito: userPool };
  // Passing our own Auth providers means wiring the token provider the way Amplify.configure would.
  cognitoUserPoolsTokenProvider.setAuthConfig(auth!);
  Amplify.configure({ Auth: auth }, { Auth: { tokenProvider: cognitoUserPoolsTokenProvider, credentialsProvider: forgivingCredentials } });
}
