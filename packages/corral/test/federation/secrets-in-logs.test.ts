// What a federated sign-in leaves in the server's request log, over real HTTP with the log captured (a Corral built
// in the test with its own logger): the provider's authorization code, an id_token and Apple's `user` sent to
// /oauth2/idpresponse, the state, and a SAMLResponse are shown redacted, never as they came. Also: a form_post that
// comes back a second time without the browser's cookie is refused, not posted again.
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { configFromEnv } from '../../src/runtime/config.js';
import { createCorral, type OpenedCorral } from '../../src/runtime/app.js';
import { buildServer } from '../../src/server.js';
import { redactUrl } from '../../src/redact.js';
import { TEST_CREDENTIALS } from '../support/corral.js';
import { fakeProviderPool, startFakeOp, type FakeOp } from './fake-op.js';

const CALLBACK = 'https://app.example.com/callback';

describe('secrets of a federated sign-in stay out of the request log', () => {
  const lines: string[] = [];
  let dir: string;
  let app: OpenedCorral;
  let server: FastifyInstance;
  let url: string;
  let idp: CognitoIdentityProviderClient;
  let fake: FakeOp;
  let clientId: string;
  let base: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'corral-fed-log-'));
    fake = await startFakeOp();
    const log = pino({ level: 'info' }, { write: (s: string) => void lines.push(s) });
    app = await createCorral(
      configFromEnv({ CORRAL_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId, CORRAL_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey }, { dataDir: dir }),
      log,
    );
    server = await buildServer(app);
    await server.listen({ port: 0, host: '127.0.0.1' });
    url = `http://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
    app.config.publicUrl = url;
    idp = new CognitoIdentityProviderClient({ region: 'us-east-1', endpoint: url, credentials: TEST_CREDENTIALS, maxAttempts: 1 });
    let prefix: string;
    ({ clientId, prefix } = await fakeProviderPool(idp, fake, 'fedlog', CALLBACK, { SupportedIdentityProviders: ['Fake'] }));
    base = `${url}/_domains/${prefix}`;
  });
  afterAll(async () => {
    idp?.destroy();
    await server?.close();
    await app?.close();
    await fake?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function leave() {
    const q = new URLSearchParams({
      response_type: 'code',
      client_id: clientId,
      redirect_uri: CALLBACK,
      scope: 'openid email',
      state: 'app-state',
      identity_provider: 'Fake',
      code_challenge: createHash('sha256').update(randomBytes(32)).digest('base64url'),
      code_challenge_method: 'S256',
    });
    const res = await fetch(`${base}/oauth2/authorize?${q}`, { redirect: 'manual' });
    const loc = new URL(res.headers.get('location')!);
    return { state: loc.searchParams.get('state')!, nonce: loc.searchParams.get('nonce') ?? undefined, cookie: res.headers.get('set-cookie')!.split(';')[0]! };
  }

  const requestLines = () => lines.filter((l) => (JSON.parse(l) as { msg?: string }).msg === 'request').join('\n');

  it('the upstream code and state of GET /oauth2/idpresponse, and a form_post’s code, id_token and user, are redacted', async () => {
    const code = `upstream-code-${randomBytes(8).toString('hex')}`;
    const first = await leave();
    fake.next = { fault: 'none', nonce: first.nonce, sub: 'logged-user', email: 'l@example.com' };
    const got = await fetch(`${base}/oauth2/idpresponse?${new URLSearchParams({ code, state: first.state })}`, {
      redirect: 'manual',
      headers: { cookie: first.cookie },
    });
    expect(got.status).toBe(302);
    expect(new URL(got.headers.get('location')!).searchParams.get('code')).toBeTruthy();

    // A form_post answer (as Sign in with Apple sends it) without the cookie, then posted again with it.
    const postedCode = `posted-code-${randomBytes(8).toString('hex')}`;
    const idToken = `eyJhbGciOiJIUzI1NiJ9.${randomBytes(12).toString('base64url')}.sig`;
    const user = JSON.stringify({ name: { firstName: 'Secret', lastName: 'Person' }, email: 'secret.person@privaterelay' });
    const second = await leave();
    fake.next = { fault: 'none', nonce: second.nonce, sub: 'logged-user', email: 'l@example.com' };
    const form = new URLSearchParams({ code: postedCode, state: second.state, id_token: idToken, user });
    const page = await fetch(`${base}/oauth2/idpresponse`, { method: 'POST', body: form, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(page.status).toBe(200);
    form.set('corral_resubmitted', '1');
    const done = await fetch(`${base}/oauth2/idpresponse`, {
      method: 'POST',
      body: form,
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: second.cookie },
      redirect: 'manual',
    });
    expect(done.status).toBe(302);

    const logged = requestLines();
    expect(logged).toContain('/oauth2/idpresponse?code=REDACTED&state=REDACTED');
    expect(logged).toContain('state=REDACTED'); // the app's state on /oauth2/authorize
    for (const secret of [code, postedCode, idToken, first.state, second.state, 'secret.person', 'app-state']) expect(lines.join('\n')).not.toContain(secret);
  });

  it('a form_post posted again still without the cookie is another browser’s: an error page, not another page', async () => {
    const s = await leave();
    const form = new URLSearchParams({ code: 'c', state: s.state, corral_resubmitted: '1' });
    const res = await fetch(`${base}/oauth2/idpresponse`, { method: 'POST', body: form, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(res.status).toBe(400);
    expect(await res.text()).not.toContain('<script');
  });

  it('redactUrl: only the hosted endpoints, only those parameters, also a SAMLResponse', () => {
    expect(redactUrl('/p/saml2/idpresponse?SAMLResponse=PHNhbWw%2B&RelayState=x')).toBe('/p/saml2/idpresponse?SAMLResponse=REDACTED&RelayState=x');
    expect(redactUrl('/_domains/d/oauth2/authorize?client_id=a&state=s&code_challenge=c')).toBe(
      '/_domains/d/oauth2/authorize?client_id=a&state=REDACTED&code_challenge=c',
    );
    expect(redactUrl('/p/oauth2/idpresponse?id%5Ftoken=t&user=u')).toBe('/p/oauth2/idpresponse?id%5Ftoken=REDACTED&user=REDACTED');
    expect(redactUrl('/health?code=1')).toBe('/health?code=1');
  });
});
