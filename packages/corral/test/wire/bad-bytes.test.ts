// Bad bytes are bad input: U+0000 (which PostgreSQL cannot store in text) and unpaired surrogates (which both drivers
// would store as U+FFFD, another string) anywhere a client puts a string — every string member of every implemented
// operation (derived from the model and the action files), a URL path, a query, a form, a token's header — are
// answered as bad input before any query: on the wire as each service answers a validation failure
// (InvalidParameterException on cognito-idp, ValidationException on cognito-identity), each endpoint's own error on HTTP.
// Never a 5xx, on either backend.
import { CreateIdentityPoolCommand } from '@aws-sdk/client-cognito-identity';
import { CreateUserPoolDomainCommand } from '@aws-sdk/client-cognito-identity-provider';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadActions } from '../../src/wire/actions.js';
import { services, type Operation, type ServiceKey, type ServiceModel } from '../../src/wire/model.js';
import { describeEachBackend, startTestCorral, type TestCorral } from '../support/corral.js';
import { createWildRydesPool } from '../support/pools.js';
import { Skeletons } from '../support/skeleton.js';
import { callOperation, expectWireError, type WireResponse } from '../support/wire.js';

const actions = await loadActions();
const implemented: Operation[] = [...actions.keys()].flatMap((key) => {
  const [service, name] = key.split(':') as [ServiceKey, string];
  const op = services[service].operations[name];
  return op ? [{ ...op, service, name, model: services[service] }] : [];
});

type Path = (string | number)[];
type Mutation = { op: Operation; where: string; body: unknown };

/** Every place a string sits in the value of a shape: string members, list items, map keys and map values. */
function stringPlaces(model: ServiceModel, shapeId: string, value: unknown, path: Path, out: { path: Path; key?: boolean }[]): void {
  const shape = model.shapes[shapeId];
  if (!shape) return;
  switch (shape.type) {
    case 'string':
      if (typeof value === 'string') out.push({ path });
      return;
    case 'structure':
    case 'union':
      for (const [name, m] of Object.entries(shape.members ?? {})) {
        const v = (value as Record<string, unknown>)?.[name];
        if (v !== undefined) stringPlaces(model, m.target, v, [...path, name], out);
      }
      return;
    case 'list':
      (value as unknown[]).forEach((v, i) => stringPlaces(model, shape.member!, v, [...path, i], out));
      return;
    case 'map':
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        if (model.shapes[shape.key!]?.type === 'string') out.push({ path: [...path, k], key: true });
        stringPlaces(model, shape.value!, v, [...path, k], out);
      }
      return;
    default:
      return;
  }
}

function mutate(body: unknown, place: { path: Path; key?: boolean }, bad: string): unknown {
  const copy = structuredClone(body) as Record<string | number, unknown>;
  let parent: Record<string | number, unknown> = copy;
  for (const p of place.path.slice(0, -1)) parent = parent[p] as Record<string | number, unknown>;
  const last = place.path.at(-1)!;
  if (place.key) {
    const v = parent[last];
    delete parent[last];
    parent[`${String(last)}${bad}`] = v;
  } else {
    const s = parent[last] as string;
    parent[last] = s.slice(0, 1) + bad + s.slice(1);
  }
  return copy;
}

async function inBatches<T, R>(items: T[], size: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += size) out.push(...(await Promise.all(items.slice(i, i + size).map(fn))));
  return out;
}

const b64url = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
/** A JWT-shaped token whose header kid carries `bad` (signature irrelevant: it is refused before any lookup). */
const tokenWithKid = (bad: string, claims: Record<string, unknown> = {}) =>
  `${b64url({ kid: `key${bad}`, alg: 'RS256' })}.${b64url({ sub: '0f7c', token_use: 'access', ...claims })}.c2ln`;

describeEachBackend('bad bytes', (backend) => {
  let corral: TestCorral;
  let poolId: string;
  let clientId: string;
  let identityPoolId: string;
  let prefix: string;
  beforeAll(async () => {
    corral = await startTestCorral({ backend });
    ({ poolId, clientId } = await createWildRydesPool(corral));
    prefix = `bad-${randomBytes(4).toString('hex')}`;
    await corral.idp.send(new CreateUserPoolDomainCommand({ UserPoolId: poolId, Domain: prefix }));
    identityPoolId = (await corral.identity.send(new CreateIdentityPoolCommand({ IdentityPoolName: 'bad_bytes', AllowUnauthenticatedIdentities: true })))
      .IdentityPoolId!;
  });
  afterAll(() => corral?.stop());

  /** Full skeletons of every operation, naming the real pool, client and identity pool so handlers would go deep. */
  function mutations(bad: string): Mutation[] {
    const real: Record<string, string> = { UserPoolId: poolId, ClientId: clientId, IdentityPoolId: identityPoolId };
    const out: Mutation[] = [];
    for (const op of implemented) {
      if (!op.input) continue;
      const skeleton = new Skeletons(op.model, true).value(op.input, undefined, op.name) as Record<string, unknown>;
      for (const name of Object.keys(skeleton)) if (real[name] && typeof skeleton[name] === 'string') skeleton[name] = real[name];
      // The parameters sign-in reads, so a flow gets as far as looking the user up.
      for (const name of ['AuthParameters', 'ChallengeResponses']) {
        if (skeleton[name])
          skeleton[name] = { USERNAME: 'alice', PASSWORD: 'Corral-Passw0rd!', SRP_A: 'abc123', NEW_PASSWORD: 'Corral-Passw0rd!', ANSWER: 'abc123' };
      }
      const places: { path: Path; key?: boolean }[] = [];
      stringPlaces(op.model, op.input, skeleton, [], places);
      for (const place of places) out.push({ op, where: `${place.path.join('.')}${place.key ? ' (key)' : ''}`, body: mutate(skeleton, place, bad) });
    }
    return out;
  }

  for (const [label, bad] of [
    ['U+0000', '\u0000'],
    ['an unpaired surrogate', '\ud800'],
  ] as const) {
    it(`answers ${label} in every string member of every operation with the service's validation error, never a 5xx`, async () => {
      const all = mutations(bad);
      expect(all.length).toBeGreaterThan(300);
      const results = await inBatches(all, 24, async (m) => ({ m, res: await callOperation(corral.url, m.op, JSON.stringify(m.body)) }));
      const fivexx = results.filter((r) => r.res.status >= 500).map((r) => `${r.m.op.name} ${r.m.where}: ${r.res.status} ${r.res.text.slice(0, 160)}`);
      const notBadInput = results
        .filter(
          (r) =>
            r.res.status !== 400 || r.res.body.__type !== (['identity', 'kms'].includes(r.m.op.service) ? 'ValidationException' : 'InvalidParameterException'),
        )
        .map((r) => `${r.m.op.name} ${r.m.where}: ${r.res.status} ${r.res.text.slice(0, 160)}`);
      console.log(`${label}: ${results.length} requests over ${implemented.length} operations, ${fivexx.length} × 5xx`);
      expect(fivexx).toEqual([]);
      expect(notBadInput).toEqual([]);
    });
  }

  it('names the member, in the validation message AWS words', async () => {
    const op = implemented.find((o) => o.name === 'CreateGroup')!;
    const res = await callOperation(corral.url, op, JSON.stringify({ UserPoolId: poolId, GroupName: 'riders', Description: 'a\u0000b' }));
    expectWireError(res, 'InvalidParameterException');
    expect(res.body.message).toBe(
      "1 validation error detected: Value 'a\u0000b' at 'description' failed to satisfy constraint: Member must not contain U+0000 or an unpaired UTF-16 surrogate",
    );
  });

  it('refuses a token whose header kid carries U+0000 (GetUser, GetId Logins)', async () => {
    const getUser = implemented.find((o) => o.name === 'GetUser' && o.service === 'idp')!;
    const res = await callOperation(corral.url, getUser, JSON.stringify({ AccessToken: tokenWithKid('\u0000') }));
    expectWireError(res, 'InvalidParameterException');
    expect(res.body.message).toBe(
      "1 validation error detected: Value at 'accessToken' failed to satisfy constraint: Member must be a token whose header and claims contain no U+0000 or unpaired UTF-16 surrogate",
    );
    const getId = implemented.find((o) => o.name === 'GetId' && o.service === 'identity')!;
    const logins = { [`cognito-idp.us-east-1.amazonaws.com/${poolId}`]: tokenWithKid('\u0000', { iss: `${corral.url}/${poolId}` }) };
    expectWireError(await callOperation(corral.url, getId, JSON.stringify({ IdentityPoolId: identityPoolId, Logins: logins })), 'ValidationException');
    // The same token without the NUL is only an invalid token.
    const plain = await callOperation(corral.url, getUser, JSON.stringify({ AccessToken: tokenWithKid('') }));
    expect(plain.status).toBe(400);
    expect(plain.body.__type).toBe('NotAuthorizedException');
  });

  it('answers the HTTP routes in their own terms', async () => {
    const get = (path: string, headers: Record<string, string> = {}) => fetch(`${corral.url}${path}`, { headers, redirect: 'manual' });
    const form = (path: string, body: string, headers: Record<string, string> = {}) =>
      fetch(`${corral.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body, redirect: 'manual' });
    const status = async (r: Promise<Response>) => {
      const res = await r;
      return { status: res.status, type: res.headers.get('content-type') ?? '', text: await res.text() };
    };
    const results: Record<string, { status: number; type: string; text: string }> = {
      jwks: await status(get(`/${poolId}%00/.well-known/jwks.json`)),
      discovery: await status(get(`/us-east-1_%00/.well-known/openid-configuration`)),
      tokenForm: await status(form(`/${poolId}/oauth2/token`, `grant_type=client_credentials&client_id=${clientId}%00`)),
      tokenBasic: await status(
        form(`/${poolId}/oauth2/token`, 'grant_type=client_credentials', {
          authorization: `Basic ${Buffer.from(`${clientId}\u0000:secret`).toString('base64')}`,
        }),
      ),
      tokenByDomain: await status(form(`/_domains/${prefix}%00/oauth2/token`, 'grant_type=client_credentials')),
      userInfo: await status(get(`/${poolId}/oauth2/userInfo`, { authorization: `Bearer ${tokenWithKid('\u0000')}` })),
      revoke: await status(form(`/${poolId}/oauth2/revoke`, `token=abc%00&client_id=${clientId}`)),
      authorize: await status(get(`/${poolId}/oauth2/authorize?response_type=code&client_id=%00&redirect_uri=http%3A%2F%2Flocalhost%3A3000%2F`)),
      logout: await status(get(`/${poolId}/logout?client_id=${clientId}%00&logout_uri=x`)),
      mailbox: await status(get(`/_corral/mail?to=a%00b`)),
    };
    const fivexx = Object.entries(results).filter(([, r]) => r.status >= 500);
    expect(fivexx).toEqual([]);
    expect(results.jwks.status).toBe(404);
    expect(results.discovery.status).toBe(404);
    for (const k of ['tokenForm', 'tokenBasic', 'tokenByDomain', 'userInfo', 'revoke'] as const) {
      expect(results[k].status, k).toBe(400);
      expect(JSON.parse(results[k].text).error, k).toBe('invalid_request');
    }
    for (const k of ['authorize', 'logout'] as const) {
      expect(results[k].status, k).toBe(400);
      expect(results[k].type, k).toMatch(/^text\/html/);
      expect(results[k].text, k).toContain('invalid_request');
    }
    expect(results.mailbox.status).toBe(400);
  });

  it('refuses U+0000 in the path and query of a wire call', async () => {
    const res = await fetch(`${corral.url}/?x=%00`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSCognitoIdentityService.GetId' },
      body: JSON.stringify({ IdentityPoolId: identityPoolId }),
    });
    const r: WireResponse = { status: res.status, headers: res.headers, text: await res.text(), body: {} };
    r.body = JSON.parse(r.text) as Record<string, unknown>;
    expectWireError(r, 'ValidationException'); // GetId is cognito-identity's
  });
});
