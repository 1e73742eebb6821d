// Where the site's /config.json comes from. Shared by server.mjs (production) and vite.config.ts (dev server).
//
// 1. The manual way: a JSON file (env WILDRYDES_CONFIG, else apps/wildrydes/config.json) with the ids pasted in.
// 2. Otherwise ask Corral: GET <CORRAL_URL>/_corral/resources, pick the WildRydes pool, its wildrydes-web-app
//    client and the wildrydes_identity_pool identity pool. Retries while Corral is still starting.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';

export class ConfigError extends Error {
  /** @param {string} message @param {number} status */
  constructor(message, status = 503) {
    super(message);
    this.name = 'ConfigError';
    this.status = status;
  }
}

const REQUIRED = ['userPoolId', 'userPoolClientId', 'corralUrl'];

/** @param {Record<string, unknown>} raw @param {string} origin */
export function checkConfig(raw, origin) {
  if (!raw || typeof raw !== 'object') throw new ConfigError(`${origin}: expected a JSON object`, 500);
  for (const key of REQUIRED) {
    if (typeof raw[key] !== 'string' || raw[key] === '') throw new ConfigError(`${origin}: "${key}" is missing`, 500);
  }
  const config = {
    region: typeof raw.region === 'string' && raw.region ? raw.region : String(raw.userPoolId).split('_')[0],
    userPoolId: raw.userPoolId,
    userPoolClientId: raw.userPoolClientId,
    corralUrl: String(raw.corralUrl).replace(/\/+$/, ''),
  };
  for (const key of ['identityPoolId', 'mailboxUrl', 'tileUrl']) {
    if (typeof raw[key] === 'string' && raw[key] !== '') config[key] = raw[key];
  }
  return config;
}

/**
 * Maps Corral's resource listing to the site's config.
 * @param {any} resources `{ region, endpoint, userPools: [{ name, id, clients: [{ name, id }] }], identityPools: [{ name, id }] }`
 * @param {{ corralUrl: string, userPoolName?: string, clientName?: string, identityPoolName?: string, tileUrl?: string, mailboxUrl?: string }} opts
 */
export function mapResources(resources, opts) {
  const userPoolName = opts.userPoolName ?? 'WildRydes';
  const clientName = opts.clientName ?? 'wildrydes-web-app';
  const identityPoolName = opts.identityPoolName ?? 'wildrydes_identity_pool';
  const pools = Array.isArray(resources?.userPools) ? resources.userPools : [];
  const pool = pools.find((p) => p?.name === userPoolName);
  if (!pool) {
    const names = pools.map((p) => p?.name).join(', ') || 'none';
    throw new ConfigError(
      `Corral has no user pool named ${userPoolName} (it has: ${names}). Declare it in corral.config.json, or paste your ids into apps/wildrydes/config.json.`,
    );
  }
  const clients = Array.isArray(pool.clients) ? pool.clients : [];
  const client = clients.find((c) => c?.name === clientName);
  if (!client) {
    throw new ConfigError(`User pool ${userPoolName} has no app client named ${clientName}.`);
  }
  const identityPools = Array.isArray(resources?.identityPools) ? resources.identityPools : [];
  const identityPool = identityPools.find((p) => p?.name === identityPoolName);
  const raw = {
    region: resources.region,
    userPoolId: pool.id,
    userPoolClientId: client.id,
    identityPoolId: identityPool?.id,
    // The browser talks to Corral's public address; fall back to the one we reached it at.
    corralUrl: typeof resources.endpoint === 'string' && resources.endpoint ? resources.endpoint : opts.corralUrl,
    mailboxUrl: opts.mailboxUrl,
    tileUrl: opts.tileUrl,
  };
  return checkConfig(raw, 'Corral resources');
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * @param {{ appDir: string, env?: NodeJS.ProcessEnv, waitMs?: number, log?: (msg: string) => void }} opts
 * @returns {Promise<{ config: Record<string, string>, source: string }>}
 */
export async function loadSiteConfig({ appDir, env = process.env, waitMs, log = () => {} }) {
  const file = env.WILDRYDES_CONFIG ? resolve(env.WILDRYDES_CONFIG) : resolve(appDir, 'config.json');
  if (existsSync(file)) {
    let raw;
    try {
      raw = JSON.parse(readFileSync(file, 'utf8'));
    } catch (err) {
      throw new ConfigError(`${file} is not valid JSON: ${err instanceof Error ? err.message : err}`, 500);
    }
    return { config: checkConfig(raw, file), source: file };
  }

  const corralUrl = (env.CORRAL_URL ?? 'http://localhost:9229').replace(/\/+$/, '');
  const url = `${corralUrl}/_corral/resources`;
  const deadline = Date.now() + (waitMs ?? Number(env.WILDRYDES_CONFIG_WAIT_MS ?? 20_000));
  let lastProblem = '';
  for (let attempt = 0; ; attempt++) {
    try {
      const res = await fetch(url, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(5000) });
      if (res.ok) {
        const resources = await res.json();
        const config = mapResources(resources, {
          corralUrl,
          userPoolName: env.WILDRYDES_USER_POOL,
          clientName: env.WILDRYDES_CLIENT,
          identityPoolName: env.WILDRYDES_IDENTITY_POOL,
          tileUrl: env.WILDRYDES_TILE_URL,
          mailboxUrl: env.WILDRYDES_MAILBOX_URL,
        });
        return { config, source: url };
      }
      if (res.status === 404) {
        throw new ConfigError(
          `Corral at ${corralUrl} does not serve /_corral/resources. Paste your ids into apps/wildrydes/config.json (see config.example.json).`,
        );
      }
      lastProblem = `${url} answered ${res.status}`;
    } catch (err) {
      if (err instanceof ConfigError) throw err;
      lastProblem = `cannot reach Corral at ${corralUrl} (${err instanceof Error ? (err.cause?.code ?? err.message) : err})`;
    }
    if (Date.now() >= deadline) {
      throw new ConfigError(`${lastProblem}. Is Corral running? Set CORRAL_URL, or paste your ids into apps/wildrydes/config.json.`);
    }
    if (attempt === 0) log(`waiting for Corral: ${lastProblem}`);
    await sleep(500);
  }
}
