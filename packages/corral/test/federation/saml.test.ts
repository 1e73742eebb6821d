// SAML 2.0 identity providers of a user pool, over real HTTP against a small in-process IdP (support/saml-idp.ts):
// ProviderDetails validation and Describe, GetSigningCertificate, SP metadata, the AuthnRequest (signed when asked),
// the assertion consumer service refusing a tampered response, a foreign key, a wrong audience / recipient /
// destination, an expired or not-yet-valid assertion, a mismatched InResponseTo, a response from another browser,
// an unsolicited one when IDPInit is off, a replayed assertion (also 50 at once on two instances); and the whole
// SP-initiated sign-in in Chromium, and IdP-initiated sign-in, ending in tokens with the mapped attributes.
import { createHash, randomBytes, X509Certificate } from 'node:crypto';
import { inflateRawSync } from 'node:zlib';
import {
  CreateIdentityProviderCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  CreateUserPoolDomainCommand,
  DescribeIdentityProviderCommand,
  GetSigningCertificateCommand,
  UpdateIdentityProviderCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachBackend, startTestCorral, type Backend, type TestCorral } from '../support/corral.js';
import { race } from '../support/race.js';
import { newKeyPair, startTestIdp, type ResponseOptions, type TestIdp } from '../support/saml-idp.js';
import { findClient, findPool } from '../../src/domain/pools.js';
import { findProvider } from '../../src/domain/federation/providers.js';
import { startSamlSignIn } from '../../src/domain/federation/saml.js';
import { launchChromium, withoutChromium } from '../support/chromium.js';

const CALLBACK = 'https://app.example.com/callback';
const PROVIDER = 'TestSAML';

interface Setup {
  poolId: string;
  clientId: string;
  domain: string;
  base: string;
  acs: string;
  audience: string;
}

async function setUp(corral: TestCorral, idp: TestIdp, details: Record<string, string> = {}, opts: { callback?: string } = {}): Promise<Setup> {
  const pool = await corral.idp.send(new CreateUserPoolCommand({ PoolName: `saml-${randomBytes(3).toString('hex')}`, AutoVerifiedAttributes: ['email'] }));
  const poolId = pool.UserPool!.Id!;
  const domain = `saml-${randomBytes(4).toString('hex')}`;
  await corral.idp.send(new CreateUserPoolDomainCommand({ UserPoolId: poolId, Domain: domain }));
  await corral.idp.send(
    new CreateIdentityProviderCommand({
      UserPoolId: poolId,
      ProviderName: PROVIDER,
      ProviderType: 'SAML',
      ProviderDetails: { MetadataURL: `${idp.url}/metadata`, IDPInit: 'true', ...details },
      AttributeMapping: { email: 'email', name: 'displayName' },
    }),
  );
  const client = await corral.idp.send(
    new CreateUserPoolClientCommand({
      UserPoolId: poolId,
      ClientName: 'saml-app',
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthScopes: ['openid', 'email', 'profile'],
      CallbackURLs: [opts.callback ?? CALLBACK],
      SupportedIdentityProviders: ['COGNITO', PROVIDER],
    }),
  );
  const base = `/${poolId}`;
  return {
    poolId,
    clientId: client.UserPoolClient!.ClientId!,
    domain,
    base,
    acs: `${corral.url}${base}/saml2/idpresponse`,
    audience: `urn:amazon:cognito:sp:${poolId}`,
  };
}

/** An SP-initiated sign-in up to the IdP: the AuthnRequest's ID and the browser's binding cookie. */
async function spInitiated(corral: TestCorral, s: Setup, redirectUri = CALLBACK): Promise<{ id: string; cookie: string; location: URL }> {
  const app = corral.app;
  const pool = (await findPool(app, s.poolId))!;
  const client = (await findClient(app, s.clientId))!;
  const provider = (await findProvider(app, s.poolId, PROVIDER))!;
  const request = { poolId: s.poolId, clientId: s.clientId, redirectUri, responseType: 'code' as const, scopes: ['openid', 'email'], state: 'st-1' };
  const start = await startSamlSignIn(app, pool, client, request, provider, s.base);
  const res = await fetch(start, { redirect: 'manual' });
  expect(res.status).toBe(302);
  const cookie = /corral-saml=([^;]+)/.exec(res.headers.get('set-cookie') ?? '')?.[1];
  expect(cookie).toBeTruthy();
  const location = new URL(res.headers.get('location')!);
  const xml = inflateRawSync(Buffer.from(location.searchParams.get('SAMLRequest')!, 'base64')).toString('utf8');
  const id = /\sID="([^"]+)"/.exec(xml)![1]!;
  expect(location.searchParams.get('RelayState')).toBe(id);
  return { id, cookie: cookie!, location };
}

async function post(url: string, form: Record<string, string>, cookie?: string): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...(cookie ? { cookie: `corral-saml=${cookie}` } : {}) },
    body: new URLSearchParams(form).toString(),
  });
}

/** The error_description of a refusal redirected to the app's callback. */
function refusal(res: Response): string {
  expect(res.status).toBe(302);
  const loc = new URL(res.headers.get('location')!);
  expect(`${loc.origin}${loc.pathname}`).toBe(CALLBACK);
  expect(loc.searchParams.get('error')).toBe('invalid_request');
  return loc.searchParams.get('error_description') ?? '';
}

const idpInitRelayState = (s: Setup, extra: Record<string, string> = {}) =>
  new URLSearchParams({
    identity_provider: PROVIDER,
    client_id: s.clientId,
    redirect_uri: CALLBACK,
    response_type: 'code',
    scope: 'openid email',
    ...extra,
  }).toString();

describe('SAML identity providers', () => {
  let corral: TestCorral;
  let idp: TestIdp;
  let s: Setup;
  beforeAll(async () => {
    corral = await startTestCorral();
    idp = await startTestIdp();
    s = await setUp(corral, idp, { RequestSigningAlgorithm: 'rsa-sha256' });
  });
  afterAll(async () => {
    await idp?.stop();
    await corral?.stop();
  });

  const base = (o: Partial<ResponseOptions> = {}): ResponseOptions => ({
    acs: s.acs,
    audience: s.audience,
    nameId: 'alice',
    attributes: { email: 'alice@example.com' },
    ...o,
  });

  it('Describe shows the details as Cognito does; bad metadata is refused with InvalidParameterException', async () => {
    const d = await corral.idp.send(new DescribeIdentityProviderCommand({ UserPoolId: s.poolId, ProviderName: PROVIDER }));
    const pd = d.IdentityProvider!.ProviderDetails!;
    expect(pd.MetadataURL).toBe(`${idp.url}/metadata`);
    expect(pd.SSORedirectBindingURI).toBe(`${idp.url}/sso`);
    expect(pd.IDPInit).toBe('true');
    expect(pd.RequestSigningAlgorithm).toBe('rsa-sha256');
    expect(pd.ActiveEncryptionCertificate).toBeUndefined();
    const bad = async (details: Record<string, string>) =>
      corral.idp
        .send(
          new CreateIdentityProviderCommand({
            UserPoolId: s.poolId,
            ProviderName: `Bad${randomBytes(2).toString('hex')}`,
            ProviderType: 'SAML',
            ProviderDetails: details,
          }),
        )
        .then(
          () => 'created',
          (e: Error) => `${e.name}: ${e.message}`,
        );
    expect(await bad({})).toBe('InvalidParameterException: At least one of the MetadataURL or MetadataFile should be provided.');
    expect(await bad({ MetadataFile: '<not-xml' })).toMatch(/^InvalidParameterException: Invalid SAML metadata: /);
    expect(await bad({ MetadataFile: idp.metadata().replace(/<md:KeyDescriptor[^]*?<\/md:KeyDescriptor>/, '') })).toBe(
      'InvalidParameterException: Invalid SAML metadata: the IDPSSODescriptor has no signing certificate.',
    );
    const expired = await newKeyPair('expired', 1000, Date.now() - 10_000);
    const otherIdp = await startTestIdp({ key: expired });
    try {
      expect(await bad({ MetadataFile: otherIdp.metadata() })).toBe('InvalidParameterException: Invalid SAML metadata: the signing certificate has expired.');
    } finally {
      await otherIdp.stop();
    }
    expect(await bad({ MetadataURL: 'http://127.0.0.1:1/metadata' })).toMatch(/^InvalidParameterException: Unable to retrieve metadata from MetadataURL: /);
    expect(await bad({ MetadataFile: idp.metadata(), RequestSigningAlgorithm: 'rsa-sha1' })).toBe(
      'InvalidParameterException: RequestSigningAlgorithm must be rsa-sha256.',
    );
    expect(await bad({ MetadataFile: idp.metadata(), IDPInit: 'yes' })).toBe('InvalidParameterException: IDPInit must be true or false.');
  });

  it('EncryptedResponses shows the pool encryption certificate (ActiveEncryptionCertificate)', async () => {
    const name = `Enc${randomBytes(2).toString('hex')}`;
    await corral.idp.send(
      new CreateIdentityProviderCommand({
        UserPoolId: s.poolId,
        ProviderName: name,
        ProviderType: 'SAML',
        ProviderDetails: { MetadataFile: idp.metadata(), EncryptedResponses: 'true' },
      }),
    );
    const d = await corral.idp.send(new DescribeIdentityProviderCommand({ UserPoolId: s.poolId, ProviderName: name }));
    const cert = new X509Certificate(Buffer.from(d.IdentityProvider!.ProviderDetails!.ActiveEncryptionCertificate!, 'base64'));
    expect(cert.subject).toContain(s.poolId);
    expect(d.IdentityProvider!.ProviderDetails!.MetadataFile).toContain(idp.entityId);
  });

  it('GetSigningCertificate: one X.509 certificate per pool, created once, also when asked concurrently', async () => {
    const answers = await Promise.all(Array.from({ length: 8 }, () => corral.idp.send(new GetSigningCertificateCommand({ UserPoolId: s.poolId }))));
    expect(new Set(answers.map((a) => a.Certificate)).size).toBe(1);
    const cert = new X509Certificate(Buffer.from(answers[0]!.Certificate!, 'base64'));
    expect(cert.subject).toContain(`CN=${s.poolId}`);
    expect(Date.parse(cert.validTo)).toBeGreaterThan(Date.now() + 5 * 365 * 24 * 3600_000);
    const err = await corral.idp.send(new GetSigningCertificateCommand({ UserPoolId: 'us-east-1_nope0000' })).catch((e: Error) => e);
    expect((err as Error).name).toBe('ResourceNotFoundException');
  });

  it('serves the SP metadata: entity ID, ACS and signing certificate', async () => {
    const res = await fetch(`${corral.url}/_domains/${s.domain}/saml2/metadata`);
    expect(res.status).toBe(200);
    const xml = await res.text();
    expect(xml).toContain(`entityID="urn:amazon:cognito:sp:${s.poolId}"`);
    expect(xml).toContain(`Location="${corral.url}/_domains/${s.domain}/saml2/idpresponse"`);
    const { Certificate } = await corral.idp.send(new GetSigningCertificateCommand({ UserPoolId: s.poolId }));
    expect(xml).toContain(`<ds:X509Certificate>${Certificate}</ds:X509Certificate>`);
  });

  it('sends the AuthnRequest by HTTP-Redirect to the IdP SSO URL, signed with the pool key (rsa-sha256)', async () => {
    const { Certificate } = await corral.idp.send(new GetSigningCertificateCommand({ UserPoolId: s.poolId }));
    idp.spCertificate = `-----BEGIN CERTIFICATE-----\n${Certificate}\n-----END CERTIFICATE-----\n`;
    const { location } = await spInitiated(corral, s);
    expect(`${location.origin}${location.pathname}`).toBe(`${idp.url}/sso`);
    const got = await fetch(location);
    expect(got.status).toBe(200);
    const req = idp.requests.at(-1)!;
    expect(req.issuer).toBe(s.audience);
    expect(req.acs).toBe(s.acs);
    expect(req.destination).toBe(`${idp.url}/sso`);
    expect(req.sigAlg).toBe('http://www.w3.org/2001/04/xmldsig-more#rsa-sha256');
    expect(req.signatureValid).toBe(true);
  });

  it('refuses a tampered response, a foreign key, and an unsigned one', async () => {
    for (const o of [{ tamper: true }, { key: await newKeyPair('intruder') }, { sign: 'none' as const }]) {
      const p = await spInitiated(corral, s);
      const res = await post(s.acs, { SAMLResponse: await idp.response(base({ inResponseTo: p.id, ...o })), RelayState: p.id }, p.cookie);
      expect(refusal(res)).toBe('Error in SAML response processing: SAML Assertion signature is invalid');
    }
    // A signed response (not only the assertion) verifies too, and its tampering is refused.
    const p = await spInitiated(corral, s);
    const res = await post(
      s.acs,
      { SAMLResponse: await idp.response(base({ inResponseTo: p.id, sign: 'response', tamper: true })), RelayState: p.id },
      p.cookie,
    );
    expect(refusal(res)).toBe('Error in SAML response processing: SAML Assertion signature is invalid');
  });

  it('refuses a wrong audience, recipient or destination, and an expired or not yet valid assertion', async () => {
    const cases: [Partial<ResponseOptions>, RegExp][] = [
      [{ audience: 'urn:amazon:cognito:sp:us-east-1_other' }, /Audience restriction failed/],
      [{ recipient: 'https://elsewhere.example.com/saml2/idpresponse' }, /Recipient is not this assertion consumer service/],
      [{ destination: 'https://elsewhere.example.com/saml2/idpresponse' }, /Destination is not this assertion consumer service/],
      [{ notBefore: Date.now() - 20 * 60_000, notOnOrAfter: Date.now() - 10 * 60_000 }, /has expired/],
      [{ notBefore: Date.now() + 10 * 60_000, notOnOrAfter: Date.now() + 20 * 60_000 }, /not yet valid/],
      [{ issuer: 'https://evil.example.com/idp' }, /issuer is not the identity provider/],
    ];
    for (const [o, why] of cases) {
      const p = await spInitiated(corral, s);
      const res = await post(s.acs, { SAMLResponse: await idp.response(base({ inResponseTo: p.id, ...o })), RelayState: p.id }, p.cookie);
      expect(refusal(res), JSON.stringify(o)).toMatch(why);
    }
  });

  it('refuses a response to another request, from another browser, or naming no request of ours', async () => {
    const p = await spInitiated(corral, s);
    const other = await spInitiated(corral, s);
    // The response answers `other`'s request, but comes back with p's RelayState.
    let res = await post(s.acs, { SAMLResponse: await idp.response(base({ inResponseTo: other.id })), RelayState: p.id }, p.cookie);
    expect(refusal(res)).toMatch(/InResponseTo does not match/);
    // Unsolicited-looking response under a solicited RelayState.
    res = await post(s.acs, { SAMLResponse: await idp.response(base()), RelayState: p.id }, p.cookie);
    expect(refusal(res)).toMatch(/InResponseTo does not match/);
    // Another browser (no cookie / another cookie): login CSRF.
    const good = await idp.response(base({ inResponseTo: p.id }));
    for (const cookie of [undefined, randomBytes(32).toString('base64url')]) {
      res = await post(s.acs, { SAMLResponse: good, RelayState: p.id }, cookie);
      expect(res.status).toBe(400);
      expect(await res.text()).toContain('An error was encountered with the requested page.');
    }
    // A RelayState that names nothing.
    res = await post(s.acs, { SAMLResponse: good, RelayState: `_${'0'.repeat(40)}` }, p.cookie);
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('Invalid samlResponse or relayState from identity provider');
    // A solicited response presented as IdP-initiated.
    res = await post(s.acs, { SAMLResponse: good, RelayState: idpInitRelayState(s) });
    expect(refusal(res)).toMatch(/unknown or has expired/);
  });

  it('accepts IdP-initiated responses only when IDPInit is true', async () => {
    const off = `NoInit${randomBytes(2).toString('hex')}`;
    await corral.idp.send(
      new CreateIdentityProviderCommand({ UserPoolId: s.poolId, ProviderName: off, ProviderType: 'SAML', ProviderDetails: { MetadataFile: idp.metadata() } }),
    );
    // The client must offer it (else: Login option is not available), so a second client.
    const c = await corral.idp.send(
      new CreateUserPoolClientCommand({
        UserPoolId: s.poolId,
        ClientName: 'noinit',
        AllowedOAuthFlowsUserPoolClient: true,
        AllowedOAuthFlows: ['code'],
        AllowedOAuthScopes: ['openid'],
        CallbackURLs: [CALLBACK],
        SupportedIdentityProviders: [off],
      }),
    );
    const rs = new URLSearchParams({
      identity_provider: off,
      client_id: c.UserPoolClient!.ClientId!,
      redirect_uri: CALLBACK,
      response_type: 'code',
      scope: 'openid',
    });
    const res = await post(s.acs, { SAMLResponse: await idp.response(base()), RelayState: rs.toString() });
    expect(refusal(res)).toMatch(/IdP-initiated sign-in is not enabled/);
    // Turning it on (UpdateIdentityProvider) lets the same kind of response through verification.
    await corral.idp.send(
      new UpdateIdentityProviderCommand({ UserPoolId: s.poolId, ProviderName: off, ProviderDetails: { MetadataFile: idp.metadata(), IDPInit: 'true' } }),
    );
    const again = await post(s.acs, { SAMLResponse: await idp.response(base()), RelayState: rs.toString() });
    expect(again.headers.get('location') ?? '').not.toMatch(/IdP-initiated sign-in is not enabled/);
  });

  it('IdP-initiated RelayState must name a client and a callback URL of it', async () => {
    let res = await post(s.acs, { SAMLResponse: await idp.response(base()), RelayState: '' });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('Invalid samlResponse or relayState from identity provider');
    res = await post(s.acs, { SAMLResponse: await idp.response(base()), RelayState: idpInitRelayState(s, { redirect_uri: 'https://evil.example.com/cb' }) });
    expect(res.status).toBe(400);
  });

  it('refuses a replayed assertion', async () => {
    const samlResponse = await idp.response(base());
    const first = await post(s.acs, { SAMLResponse: samlResponse, RelayState: idpInitRelayState(s) });
    expect(first.headers.get('location') ?? '').not.toMatch(/already been used/);
    const second = await post(s.acs, { SAMLResponse: samlResponse, RelayState: idpInitRelayState(s) });
    expect(refusal(second)).toBe('Invalid SAML response received: the assertion has already been used');
  });
});

describeEachBackend('SAML replay across instances', (backend: Backend) => {
  let a: TestCorral;
  let b: TestCorral;
  let idp: TestIdp;
  let s: Setup;
  beforeAll(async () => {
    a = await startTestCorral({ backend });
    b = await startTestCorral({ backend, dataDir: a.dataDir, schema: a.schema, config: { publicUrl: a.url } });
    idp = await startTestIdp();
    s = await setUp(a, idp);
  });
  afterAll(async () => {
    await idp?.stop();
    await b?.stop();
    await a?.stop();
  });

  it('50 racing presentations of one assertion on two instances: exactly one gets past the replay check', async () => {
    const samlResponse = await idp.response({ acs: s.acs, audience: s.audience, nameId: 'racer', attributes: { email: 'racer@example.com' } });
    const form = { SAMLResponse: samlResponse, RelayState: idpInitRelayState(s) };
    const urls = [a.url, b.url].map((u) => `${u}${s.base}/saml2/idpresponse`);
    const burst = await race(
      Array.from({ length: 50 }, (_, i) => async () => {
        const res = await post(urls[i % 2]!, form);
        const loc = res.headers.get('location') ?? '';
        return /already\+been\+used|already%20been%20used/.test(loc) ? 'replayed' : `other ${res.status}`;
      }),
    );
    const replayed = burst.values.filter((v) => v === 'replayed').length;
    expect(burst.values).toHaveLength(50);
    expect(replayed, JSON.stringify(burst.tally)).toBe(49);
  });
});

// ---- The whole sign-in, in a browser ------------------------------------------------------------------------------
describe.skipIf(withoutChromium('the SAML browser tests are'))('SAML sign-in in chromium', () => {
  let corral: TestCorral;
  let idp: TestIdp;
  let browser: Browser;
  let s: Setup;
  beforeAll(async () => {
    corral = await startTestCorral();
    idp = await startTestIdp();
    s = await setUp(corral, idp, { RequestSigningAlgorithm: 'rsa-sha256' });
    idp.users.set('alice', { nameId: 'alice-1234', attributes: { email: 'alice@example.com', displayName: 'Alice Liddell' } });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await idp?.stop();
    await corral?.stop();
  });

  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');

  async function signIn(): Promise<{ code: string; state: string | null; page: Page }> {
    const page = await browser.newPage();
    const callback = CALLBACK;
    const q = new URLSearchParams({
      identity_provider: PROVIDER,
      client_id: s.clientId,
      redirect_uri: callback,
      response_type: 'code',
      scope: 'openid email profile',
      state: 'xyz',
      code_challenge: challenge,
      code_challenge_method: 'S256',
    });
    // The callback is not served: the browser's request for it is caught and answered here.
    let landed: URL | undefined;
    await page.route(`${callback}**`, async (route) => {
      landed = new URL(route.request().url());
      await route.fulfill({ status: 200, contentType: 'text/html', body: '<p>app callback</p>' });
    });
    await page.goto(`${corral.url}/_domains/${s.domain}/oauth2/authorize?${q.toString()}`);
    await page
      .waitForURL((u) => u.toString().startsWith(`${idp.url}/sso`), { timeout: 10_000 })
      .catch(async (err: Error) => {
        throw new Error(`${err.message}\nat ${page.url()}: ${(await page.content()).slice(0, 600)}`);
      });
    await page.fill('#idp-username', 'alice');
    await page.click('#idp-submit');
    const deadline = Date.now() + 10_000;
    while (!landed && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(landed, `still at ${page.url()}`).toBeDefined();
    const code = landed!.searchParams.get('code');
    expect(code, landed!.toString()).toBeTruthy();
    return { code: code!, state: landed!.searchParams.get('state'), page };
  }

  it('SP-initiated: authorize → IdP login page → POST back → code → tokens with mapped attributes and identities', async () => {
    const { code, state, page } = await signIn();
    await page.close();
    expect(state).toBe('xyz');
    const token = await fetch(`${corral.url}/_domains/${s.domain}/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'authorization_code', client_id: s.clientId, code, redirect_uri: CALLBACK, code_verifier: verifier }).toString(),
    });
    expect(token.status).toBe(200);
    const tokens = (await token.json()) as { id_token: string };
    const claims = JSON.parse(Buffer.from(tokens.id_token.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
    expect(claims['cognito:username']).toBe(`${PROVIDER}_alice-1234`);
    expect(claims.email).toBe('alice@example.com');
    expect(claims.name).toBe('Alice Liddell');
    const identities = (typeof claims.identities === 'string' ? JSON.parse(claims.identities) : claims.identities) as Record<string, unknown>[];
    expect(identities[0]).toMatchObject({ providerName: PROVIDER, providerType: 'SAML', userId: 'alice-1234' });
    // The signed AuthnRequest reached the IdP.
    expect(idp.requests.at(-1)!.signed).toBe(true);
  });

  it('the same response posted again from the same browser is refused as a replay', async () => {
    const { page } = await signIn();
    const again = await page.context().request.post(`${corral.url}/_domains/${s.domain}/saml2/idpresponse`, {
      form: { SAMLResponse: idp.lastResponse!, RelayState: idp.requests.at(-1)!.relayState! },
      maxRedirects: 0,
    });
    await page.close();
    expect(again.status()).toBe(302);
    const loc = new URL(again.headers().location!);
    expect(loc.searchParams.get('error_description')).toBe('Invalid SAML response received: the assertion has already been used');
  });

  it('IdP-initiated (IDPInit true): the RelayState names the client, the app gets a code', async () => {
    const samlResponse = await idp.response({ acs: s.acs, audience: s.audience, nameId: 'alice-1234', attributes: { email: 'alice@example.com' } });
    const res = await post(s.acs, { SAMLResponse: samlResponse, RelayState: idpInitRelayState(s, { state: 'idp' }) });
    expect(res.status).toBe(302);
    const loc = new URL(res.headers.get('location')!);
    expect(loc.searchParams.get('code'), loc.toString()).toBeTruthy();
    expect(loc.searchParams.get('state')).toBe('idp');
  });
});
