// The SAML assertion consumer service refusing what Corral's rules refuse after a valid assertion, back to the app's
// callback as Cognito does (never a 500): the pool's required attribute the assertion leaves empty, and a client that
// stopped offering the provider between the AuthnRequest and the response (SP-initiated, over real HTTP).
import { randomBytes } from 'node:crypto';
import {
  CreateIdentityProviderCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  CreateUserPoolDomainCommand,
  UpdateUserPoolClientCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCorral, type TestCorral } from '../support/corral.js';
import { startTestIdp, type TestIdp } from '../support/saml-idp.js';

const CALLBACK = 'https://app.example.com/callback';
const PROVIDER = 'TestSAML';

describe('SAML: refusals after a valid assertion go to the app', () => {
  let corral: TestCorral;
  let idp: TestIdp;
  beforeAll(async () => {
    corral = await startTestCorral();
    idp = await startTestIdp();
  });
  afterAll(async () => {
    await idp?.stop();
    await corral?.stop();
  });

  async function setUp(schema: boolean) {
    const poolId = (
      await corral.idp.send(
        new CreateUserPoolCommand({
          PoolName: `saml-r-${randomBytes(3).toString('hex')}`,
          ...(schema ? { Schema: [{ Name: 'email', AttributeDataType: 'String', Required: true, Mutable: true }] } : {}),
        }),
      )
    ).UserPool!.Id!;
    await corral.idp.send(new CreateUserPoolDomainCommand({ UserPoolId: poolId, Domain: `saml-r-${randomBytes(4).toString('hex')}` }));
    await corral.idp.send(
      new CreateIdentityProviderCommand({
        UserPoolId: poolId,
        ProviderName: PROVIDER,
        ProviderType: 'SAML',
        ProviderDetails: { MetadataFile: idp.metadata(), IDPInit: 'true' },
        AttributeMapping: { email: 'email' },
      }),
    );
    const clientId = (
      await corral.idp.send(
        new CreateUserPoolClientCommand({
          UserPoolId: poolId,
          ClientName: 'c',
          AllowedOAuthFlowsUserPoolClient: true,
          AllowedOAuthFlows: ['code'],
          AllowedOAuthScopes: ['openid'],
          CallbackURLs: [CALLBACK],
          SupportedIdentityProviders: [PROVIDER, 'COGNITO'],
        }),
      )
    ).UserPoolClient!.ClientId!;
    return { poolId, clientId, acs: `${corral.url}/${poolId}/saml2/idpresponse`, audience: `urn:amazon:cognito:sp:${poolId}` };
  }

  const post = (url: string, form: Record<string, string>, cookie?: string) =>
    fetch(url, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...(cookie ? { cookie } : {}) },
      body: new URLSearchParams(form).toString(),
    });

  function refusal(res: Response): string {
    expect(res.status).toBe(302);
    const loc = new URL(res.headers.get('location')!);
    expect(`${loc.origin}${loc.pathname}`).toBe(CALLBACK);
    expect(loc.searchParams.get('error')).toBe('invalid_request');
    expect(loc.searchParams.get('code')).toBeNull();
    return loc.searchParams.get('error_description') ?? '';
  }

  it('a required attribute the assertion does not give: error_description "attributes required", not a 500', async () => {
    const s = await setUp(true);
    const relayState = new URLSearchParams({
      identity_provider: PROVIDER,
      client_id: s.clientId,
      redirect_uri: CALLBACK,
      response_type: 'code',
      scope: 'openid',
    }).toString();
    const response = await idp.response({ acs: s.acs, audience: s.audience, nameId: 'bob', attributes: { displayName: 'Bob' } });
    const res = await post(s.acs, { SAMLResponse: response, RelayState: relayState });
    expect(refusal(res)).toBe('attributes required: [email]');
  });

  it('SP-initiated: a client that no longer lists the provider is refused when the response comes back', async () => {
    const s = await setUp(false);
    const q = new URLSearchParams({
      response_type: 'code',
      client_id: s.clientId,
      redirect_uri: CALLBACK,
      scope: 'openid',
      state: 'st',
      identity_provider: PROVIDER,
    });
    const hop = await fetch(`${corral.url}/${s.poolId}/oauth2/authorize?${q}`, { redirect: 'manual' });
    expect(hop.status).toBe(302);
    const start = await fetch(new URL(hop.headers.get('location')!, corral.url), { redirect: 'manual' });
    expect(start.status).toBe(302);
    const cookie = start.headers.get('set-cookie')!.split(';')[0]!;
    const toIdp = new URL(start.headers.get('location')!);
    const relayState = toIdp.searchParams.get('RelayState')!;
    const requestId = relayState; // Corral's RelayState is the AuthnRequest's ID
    await corral.idp.send(new UpdateUserPoolClientCommand({ UserPoolId: s.poolId, ClientId: s.clientId, SupportedIdentityProviders: ['COGNITO'] }));
    const response = await idp.response({ acs: s.acs, audience: s.audience, nameId: 'carol', attributes: { email: 'c@example.com' }, inResponseTo: requestId });
    const res = await post(s.acs, { SAMLResponse: response, RelayState: relayState }, cookie);
    expect(refusal(res)).toBe('Login option is not available. Please try another one');
  });
});
