// The identity providers of a user pool over real HTTP with SDK v3: CreateIdentityProvider … ListIdentityProviders,
// ProviderDetails per type (Cognito's required keys and the endpoints it fills in, OIDC discovery), AttributeMapping
// defaults, IdpIdentifiers, app clients' SupportedIdentityProviders, AdminLinkProviderForUser and
// AdminDisableProviderForUser, with the errors real Cognito answers.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { generateKeyPairSync } from 'node:crypto';
import {
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminDisableProviderForUserCommand,
  AdminGetUserCommand,
  AdminLinkProviderForUserCommand,
  CreateIdentityProviderCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DeleteIdentityProviderCommand,
  DeleteUserPoolCommand,
  DescribeIdentityProviderCommand,
  DescribeUserPoolClientCommand,
  GetIdentityProviderByIdentifierCommand,
  ListIdentityProvidersCommand,
  UpdateIdentityProviderCommand,
  UpdateUserPoolClientCommand,
  type CreateIdentityProviderCommandInput,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachBackend, startTestCorral, type TestCorral } from '../support/corral.js';
import { startTestIdp } from '../support/saml-idp.js';
import { fail } from '../support/rejection.js';

const googleDetails = {
  client_id: '1example23456789.apps.googleusercontent.com',
  client_secret: 'provider-app-client-secret',
  authorize_scopes: 'email profile openid',
};

/** A tiny OpenID provider that only publishes its discovery document. */
async function discoveryServer(): Promise<{ issuer: string; server: Server }> {
  const server = createServer((req, res) => {
    const issuer = `http://localhost:${(server.address() as AddressInfo).port}`;
    if (req.url === '/.well-known/openid-configuration') {
      res.setHeader('content-type', 'application/json');
      res.end(
        JSON.stringify({
          issuer,
          authorization_endpoint: `${issuer}/auth`,
          token_endpoint: `${issuer}/token`,
          userinfo_endpoint: `${issuer}/me`,
          jwks_uri: `${issuer}/jwks`,
        }),
      );
    } else {
      res.statusCode = 404;
      res.end();
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { issuer: `http://localhost:${(server.address() as AddressInfo).port}`, server };
}

describeEachBackend('identity providers', (backend) => {
  let corral: TestCorral;
  let poolId: string;
  let op: { issuer: string; server: Server };
  const create = (input: Omit<CreateIdentityProviderCommandInput, 'UserPoolId'>, pool = poolId) =>
    corral.idp.send(new CreateIdentityProviderCommand({ UserPoolId: pool, ...input }));
  const newPool = async (name = 'Federated') =>
    (await corral.idp.send(new CreateUserPoolCommand({ PoolName: name, Schema: [{ Name: 'genre', AttributeDataType: 'String', Mutable: true }] }))).UserPool!
      .Id!;

  beforeAll(async () => {
    corral = await startTestCorral({ backend });
    op = await discoveryServer();
    poolId = await newPool();
  });
  afterAll(async () => {
    await corral?.stop();
    op?.server.close();
  });

  it('creates a Google provider with the endpoints Cognito fills in, and describes it', async () => {
    const created = (await create({ ProviderName: 'Google', ProviderType: 'Google', ProviderDetails: googleDetails, AttributeMapping: { email: 'email' } }))
      .IdentityProvider!;
    expect(created).toEqual({
      UserPoolId: poolId,
      ProviderName: 'Google',
      ProviderType: 'Google',
      ProviderDetails: {
        ...googleDetails,
        attributes_url: 'https://people.googleapis.com/v1/people/me?personFields=',
        attributes_url_add_attributes: 'true',
        authorize_url: 'https://accounts.google.com/o/oauth2/v2/auth',
        oidc_issuer: 'https://accounts.google.com',
        token_request_method: 'POST',
        token_url: 'https://www.googleapis.com/oauth2/v4/token',
      },
      AttributeMapping: { email: 'email', username: 'sub' },
      IdpIdentifiers: [],
      LastModifiedDate: expect.any(Date),
      CreationDate: expect.any(Date),
    });
    const described = (await corral.idp.send(new DescribeIdentityProviderCommand({ UserPoolId: poolId, ProviderName: 'Google' }))).IdentityProvider!;
    expect(described).toEqual(created);
    // the client secret is encrypted at rest
    const row = await corral.app.db
      .selectFrom('identity_providers')
      .selectAll()
      .where('pool_id', '=', poolId)
      .where('name', '=', 'Google')
      .executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain(googleDetails.client_secret);
  });

  it('refuses a second provider of one name, and an unknown one', async () => {
    const dup = await fail(create({ ProviderName: 'Google', ProviderType: 'Google', ProviderDetails: googleDetails }));
    expect(dup.name).toBe('DuplicateProviderException');
    expect(dup.message).toBe('A provider with the name Google already exists in this user pool.');
    const missing = await fail(corral.idp.send(new DescribeIdentityProviderCommand({ UserPoolId: poolId, ProviderName: 'Nope' })));
    expect(missing.name).toBe('ResourceNotFoundException');
    const noPool = await fail(create({ ProviderName: 'Google', ProviderType: 'Google', ProviderDetails: googleDetails }, 'us-east-1_nothere'));
    expect(noPool.name).toBe('ResourceNotFoundException');
  });

  it('discovers an OIDC provider’s endpoints from oidc_issuer', async () => {
    const p = (
      await create({
        ProviderName: 'Corp',
        ProviderType: 'OIDC',
        ProviderDetails: { client_id: 'corral', client_secret: 's3cret', authorize_scopes: 'openid email', oidc_issuer: op.issuer },
        IdpIdentifiers: ['corp.example.com', 'CorpSSO'],
      })
    ).IdentityProvider!;
    expect(p.ProviderDetails).toEqual({
      client_id: 'corral',
      client_secret: 's3cret',
      authorize_scopes: 'openid email',
      oidc_issuer: op.issuer,
      attributes_request_method: 'GET',
      attributes_url_add_attributes: 'false',
      authorize_url: `${op.issuer}/auth`,
      token_url: `${op.issuer}/token`,
      attributes_url: `${op.issuer}/me`,
      jwks_uri: `${op.issuer}/jwks`,
    });
    expect(p.AttributeMapping).toEqual({ username: 'sub' });
    expect(p.IdpIdentifiers).toEqual(['corp.example.com', 'CorpSSO']);
  });

  it('fills in Facebook, Login with Amazon and Sign in with Apple as Cognito describes them; Apple’s key is never shown', async () => {
    const pool = await newPool('Social');
    const fb = (
      await create(
        {
          ProviderName: 'Facebook',
          ProviderType: 'Facebook',
          ProviderDetails: { client_id: '1example', client_secret: 'fb-secret', authorize_scopes: 'public_profile, email' },
        },
        pool,
      )
    ).IdentityProvider!;
    expect(fb.ProviderDetails).toEqual({
      client_id: '1example',
      client_secret: 'fb-secret',
      authorize_scopes: 'public_profile, email',
      api_version: 'v17.0',
      attributes_url: 'https://graph.facebook.com/v17.0/me?fields=',
      attributes_url_add_attributes: 'true',
      authorize_url: 'https://www.facebook.com/v17.0/dialog/oauth',
      token_request_method: 'GET',
      token_url: 'https://graph.facebook.com/v17.0/oauth/access_token',
    });
    expect(fb.AttributeMapping).toEqual({ username: 'id' });
    const amazon = (
      await create(
        {
          ProviderName: 'LoginWithAmazon',
          ProviderType: 'LoginWithAmazon',
          ProviderDetails: { client_id: 'amzn1.application-oa2-client.1example', client_secret: 'lwa', authorize_scopes: 'profile postal_code' },
        },
        pool,
      )
    ).IdentityProvider!;
    expect(amazon.ProviderDetails).toMatchObject({
      attributes_url: 'https://api.amazon.com/user/profile',
      attributes_url_add_attributes: 'false',
      authorize_url: 'https://www.amazon.com/ap/oa',
      token_request_method: 'POST',
      token_url: 'https://api.amazon.com/auth/o2/token',
    });
    expect(amazon.AttributeMapping).toEqual({ username: 'user_id' });
    const privateKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const apple = (
      await create(
        {
          ProviderName: 'SignInWithApple',
          ProviderType: 'SignInWithApple',
          ProviderDetails: {
            client_id: 'com.example.cognito',
            team_id: '3EXAMPLE',
            key_id: '2EXAMPLE',
            private_key: privateKey,
            authorize_scopes: 'email name',
          },
        },
        pool,
      )
    ).IdentityProvider!;
    expect(apple.ProviderDetails).toEqual({
      client_id: 'com.example.cognito',
      team_id: '3EXAMPLE',
      key_id: '2EXAMPLE',
      authorize_scopes: 'email name',
      attributes_url_add_attributes: 'false',
      authorize_url: 'https://appleid.apple.com/auth/authorize',
      oidc_issuer: 'https://appleid.apple.com',
      token_request_method: 'POST',
      token_url: 'https://appleid.apple.com/auth/token',
    });
    const rows = await corral.app.db.selectFrom('identity_providers').selectAll().where('pool_id', '=', pool).execute();
    const stored = JSON.stringify(rows);
    for (const secret of ['fb-secret', 'lwa', privateKey.split('\n')[1]!]) expect(stored).not.toContain(secret);
    // the domain reads the secrets back (what the sign-in uses)
    const { findProvider } = await import('../../src/domain/federation/providers.js');
    expect((await findProvider(corral.app, pool, 'SignInWithApple'))!.details.private_key).toBe(privateKey);
  });

  it('keeps endpoints given for a social provider (the override tests use)', async () => {
    const pool = await newPool('Override');
    const p = (
      await create(
        {
          ProviderName: 'Google',
          ProviderType: 'Google',
          ProviderDetails: {
            ...googleDetails,
            authorize_url: `${op.issuer}/auth`,
            token_url: `${op.issuer}/token`,
            oidc_issuer: op.issuer,
            jwks_uri: `${op.issuer}/jwks`,
          },
        },
        pool,
      )
    ).IdentityProvider!;
    expect(p.ProviderDetails).toMatchObject({
      authorize_url: `${op.issuer}/auth`,
      token_url: `${op.issuer}/token`,
      oidc_issuer: op.issuer,
      jwks_uri: `${op.issuer}/jwks`,
    });
    const bad = await fail(
      create(
        { ProviderName: 'Google', ProviderType: 'Google', ProviderDetails: { ...googleDetails, token_url: 'http://idp.example.com/token' } },
        await newPool(),
      ),
    );
    expect(bad.name).toBe('InvalidParameterException');
  });

  it('refuses what Cognito refuses in a provider', async () => {
    const pool = await newPool('Refusals');
    const refusal = async (input: Omit<CreateIdentityProviderCommandInput, 'UserPoolId'>) => {
      const e = await fail(create(input, pool));
      expect(e.name).toBe('InvalidParameterException');
      return e.message;
    };
    expect(await refusal({ ProviderName: 'Google', ProviderType: 'Google', ProviderDetails: { client_id: 'x', authorize_scopes: 'email' } })).toBe(
      'client_id, client_secret and authorize_scopes are all required idp details',
    );
    expect(await refusal({ ProviderName: 'NameOfGP', ProviderType: 'Google', ProviderDetails: googleDetails })).toBe(
      'Provider NameOfGP cannot be of type Google.',
    );
    expect(
      await refusal({ ProviderName: 'Google', ProviderType: 'OIDC', ProviderDetails: { client_id: 'x', authorize_scopes: 'openid', oidc_issuer: op.issuer } }),
    ).toBe('Provider Google cannot be of type OIDC.');
    expect(await refusal({ ProviderName: 'Cognito', ProviderType: 'OIDC', ProviderDetails: {} })).toMatch(/reserved/);
    // the model's pattern for a new name: no leading or trailing underscore or space
    expect(await refusal({ ProviderName: '_Corp', ProviderType: 'OIDC', ProviderDetails: {} })).toMatch(/providerName.*regular expression pattern/);
    expect(await refusal({ ProviderName: 'Corp', ProviderType: 'OIDC', ProviderDetails: { client_id: 'x', oidc_issuer: op.issuer } })).toMatch(
      /required idp details/,
    );
    expect(
      await refusal({ ProviderName: 'Corp', ProviderType: 'OIDC', ProviderDetails: { client_id: 'x', authorize_scopes: 'email', oidc_issuer: op.issuer } }),
    ).toMatch(/openid/);
    expect(
      await refusal({ ProviderName: 'Corp', ProviderType: 'OIDC', ProviderDetails: { client_id: 'x', authorize_scopes: 'openid', oidc_issuer: 'not a url' } }),
    ).toMatch(/not a valid URL/);
    // an unreachable issuer, and no endpoints given: the discovery fails
    expect(
      await refusal({
        ProviderName: 'Corp',
        ProviderType: 'OIDC',
        ProviderDetails: { client_id: 'x', authorize_scopes: 'openid', oidc_issuer: 'http://127.0.0.1:1' },
      }),
    ).toMatch(/Unable to contact the OIDC discovery endpoint http:\/\/127\.0\.0\.1:1\/\.well-known\/openid-configuration/);
    expect(
      await refusal({
        ProviderName: 'Corp',
        ProviderType: 'OIDC',
        ProviderDetails: { client_id: 'x', authorize_scopes: 'openid', oidc_issuer: op.issuer },
        AttributeMapping: { sub: 'sub' },
      }),
    ).toMatch(/sub/);
    expect(
      await refusal({
        ProviderName: 'Corp',
        ProviderType: 'OIDC',
        ProviderDetails: { client_id: 'x', authorize_scopes: 'openid', oidc_issuer: op.issuer },
        AttributeMapping: { 'custom:nothere': 'x' },
      }),
    ).toBe('Invalid attribute mapping: custom:nothere is not an attribute of the user pool.');
    expect(
      await refusal({
        ProviderName: 'Corp',
        ProviderType: 'OIDC',
        ProviderDetails: { client_id: 'x', authorize_scopes: 'openid', oidc_issuer: op.issuer },
        IdpIdentifiers: ['a', 'a'],
      }),
    ).toMatch(/Duplicate IdpIdentifier a/);
    expect(await refusal({ ProviderName: 'Corp', ProviderType: 'SAML', ProviderDetails: {} })).toBe(
      'At least one of the MetadataURL or MetadataFile should be provided.',
    );
    expect((await corral.idp.send(new ListIdentityProvidersCommand({ UserPoolId: pool }))).Providers).toEqual([]);
  });

  it('creates a SAML provider from its metadata, the details checked by saml.ts', async () => {
    const idp = await startTestIdp();
    try {
      const pool = await newPool('Saml');
      const p = (
        await create(
          {
            ProviderName: 'CorpSAML',
            ProviderType: 'SAML',
            ProviderDetails: { MetadataFile: idp.metadata(), IDPSignout: 'false' },
            AttributeMapping: { email: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress' },
            IdpIdentifiers: ['corp.example.com'],
          },
          pool,
        )
      ).IdentityProvider!;
      expect(p.ProviderType).toBe('SAML');
      expect(p.ProviderDetails!.SSORedirectBindingURI).toMatch(/^http/);
      expect(p.AttributeMapping).toEqual({ email: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress' });
      // idp_identifier by email address: the domain names the SAML provider
      const { findProviderByIdentifier } = await import('../../src/domain/federation/providers.js');
      expect((await findProviderByIdentifier(corral.app, pool, 'alice@corp.example.com'))?.name).toBe('CorpSAML');
      expect((await findProviderByIdentifier(corral.app, pool, 'corp.example.com'))?.name).toBe('CorpSAML');
      expect(await findProviderByIdentifier(corral.app, pool, 'alice@other.example.com')).toBeUndefined();
    } finally {
      await idp.stop();
    }
  });

  it('takes OIDC endpoints as given without a discovery, and maps custom attributes', async () => {
    const pool = await newPool('Explicit');
    const details = {
      client_id: 'x',
      authorize_scopes: 'openid',
      oidc_issuer: 'http://127.0.0.1:1',
      authorize_url: 'http://127.0.0.1:1/a',
      token_url: 'http://127.0.0.1:1/t',
      attributes_url: 'http://127.0.0.1:1/u',
      jwks_uri: 'http://127.0.0.1:1/k',
      attributes_request_method: 'POST',
    };
    const p = (
      await create({ ProviderName: 'Corp', ProviderType: 'OIDC', ProviderDetails: details, AttributeMapping: { 'custom:genre': 'genre', email: 'mail' } }, pool)
    ).IdentityProvider!;
    expect(p.ProviderDetails).toEqual({ ...details, attributes_url_add_attributes: 'false' });
    expect(p.AttributeMapping).toEqual({ 'custom:genre': 'genre', email: 'mail', username: 'sub' });
  });

  it('finds a provider by identifier, keeps identifiers unique in the pool, and lists by pages', async () => {
    const pool = await newPool('Identifiers');
    const oidc = (name: string, ids: string[]) =>
      create(
        {
          ProviderName: name,
          ProviderType: 'OIDC',
          ProviderDetails: { client_id: 'x', authorize_scopes: 'openid', oidc_issuer: op.issuer },
          IdpIdentifiers: ids,
        },
        pool,
      );
    await oidc('Alpha', ['alpha.example.com']);
    const taken = await fail(oidc('Beta', ['beta', 'alpha.example.com']));
    expect(taken.name).toBe('InvalidParameterException');
    expect(taken.message).toMatch(/alpha\.example\.com/);
    await oidc('Beta', ['beta']);
    await oidc('Gamma', []);
    const byId = (await corral.idp.send(new GetIdentityProviderByIdentifierCommand({ UserPoolId: pool, IdpIdentifier: 'beta' }))).IdentityProvider!;
    expect(byId.ProviderName).toBe('Beta');
    const none = await fail(corral.idp.send(new GetIdentityProviderByIdentifierCommand({ UserPoolId: pool, IdpIdentifier: 'nothere' })));
    expect(none.name).toBe('ResourceNotFoundException');

    const first = await corral.idp.send(new ListIdentityProvidersCommand({ UserPoolId: pool, MaxResults: 2 }));
    expect(first.Providers!.map((p) => p.ProviderName)).toEqual(['Alpha', 'Beta']);
    expect(first.Providers![0]).toEqual({ ProviderName: 'Alpha', ProviderType: 'OIDC', LastModifiedDate: expect.any(Date), CreationDate: expect.any(Date) });
    expect(first.NextToken).toBeTruthy();
    const second = await corral.idp.send(new ListIdentityProvidersCommand({ UserPoolId: pool, MaxResults: 2, NextToken: first.NextToken }));
    expect(second.Providers!.map((p) => p.ProviderName)).toEqual(['Gamma']);
    expect(second.NextToken).toBeUndefined();
    const all = await corral.idp.send(new ListIdentityProvidersCommand({ UserPoolId: pool }));
    expect(all.Providers).toHaveLength(3);
    const badToken = await fail(corral.idp.send(new ListIdentityProvidersCommand({ UserPoolId: pool, NextToken: 'garbage' })));
    expect(badToken.name).toBe('InvalidParameterException');
    const tooMany = await fail(corral.idp.send(new ListIdentityProvidersCommand({ UserPoolId: pool, MaxResults: 61 })));
    expect(tooMany.name).toBe('InvalidParameterException');
  });

  it('updates details (the secret kept when left out), mapping and identifiers; the name and type stay', async () => {
    const pool = await newPool('Updates');
    const before = (await create({ ProviderName: 'Google', ProviderType: 'Google', ProviderDetails: googleDetails, IdpIdentifiers: ['g'] }, pool))
      .IdentityProvider!;
    await new Promise((r) => setTimeout(r, 1100));
    const after = (
      await corral.idp.send(
        new UpdateIdentityProviderCommand({
          UserPoolId: pool,
          ProviderName: 'Google',
          ProviderDetails: { client_id: 'new-client', authorize_scopes: 'openid email' },
          AttributeMapping: { email: 'email', name: 'name' },
        }),
      )
    ).IdentityProvider!;
    expect(after.ProviderDetails).toMatchObject({ client_id: 'new-client', client_secret: googleDetails.client_secret, authorize_scopes: 'openid email' });
    expect(after.ProviderDetails!.authorize_url).toBe('https://accounts.google.com/o/oauth2/v2/auth');
    expect(after.AttributeMapping).toEqual({ email: 'email', name: 'name', username: 'sub' });
    expect(after.IdpIdentifiers).toEqual(['g']);
    expect(after.CreationDate).toEqual(before.CreationDate);
    expect(after.LastModifiedDate!.getTime()).toBeGreaterThan(before.LastModifiedDate!.getTime());
    const described = (await corral.idp.send(new DescribeIdentityProviderCommand({ UserPoolId: pool, ProviderName: 'Google' }))).IdentityProvider!;
    expect(described).toEqual(after);

    const ids = (await corral.idp.send(new UpdateIdentityProviderCommand({ UserPoolId: pool, ProviderName: 'Google', IdpIdentifiers: ['h', 'i'] })))
      .IdentityProvider!;
    expect(ids.IdpIdentifiers).toEqual(['h', 'i']);
    expect((await corral.idp.send(new GetIdentityProviderByIdentifierCommand({ UserPoolId: pool, IdpIdentifier: 'h' }))).IdentityProvider!.ProviderName).toBe(
      'Google',
    );
    expect((await fail(corral.idp.send(new GetIdentityProviderByIdentifierCommand({ UserPoolId: pool, IdpIdentifier: 'g' })))).name).toBe(
      'ResourceNotFoundException',
    );

    const missing = await fail(corral.idp.send(new UpdateIdentityProviderCommand({ UserPoolId: pool, ProviderName: 'Facebook', IdpIdentifiers: [] })));
    expect(missing.name).toBe('ResourceNotFoundException');
    const bad = await fail(
      corral.idp.send(new UpdateIdentityProviderCommand({ UserPoolId: pool, ProviderName: 'Google', ProviderDetails: { client_id: 'x' } })),
    );
    expect(bad.message).toBe('client_id, client_secret and authorize_scopes are all required idp details');
  });

  it("app clients' SupportedIdentityProviders name COGNITO or the pool's providers; a deleted provider leaves them", async () => {
    const pool = await newPool('Clients');
    const unknown = await fail(
      corral.idp.send(new CreateUserPoolClientCommand({ UserPoolId: pool, ClientName: 'web', SupportedIdentityProviders: ['COGNITO', 'Google'] })),
    );
    expect(unknown.name).toBe('InvalidParameterException');
    expect(unknown.message).toBe(`The provider Google does not exist for User Pool ${pool}.`);
    await create({ ProviderName: 'Google', ProviderType: 'Google', ProviderDetails: googleDetails }, pool);
    const client = (
      await corral.idp.send(new CreateUserPoolClientCommand({ UserPoolId: pool, ClientName: 'web', SupportedIdentityProviders: ['COGNITO', 'Google'] }))
    ).UserPoolClient!;
    expect(client.SupportedIdentityProviders).toEqual(['COGNITO', 'Google']);
    const upd = await fail(
      corral.idp.send(new UpdateUserPoolClientCommand({ UserPoolId: pool, ClientId: client.ClientId, SupportedIdentityProviders: ['Google', 'Corp'] })),
    );
    expect(upd.message).toBe(`The provider Corp does not exist for User Pool ${pool}.`);

    await corral.idp.send(new DeleteIdentityProviderCommand({ UserPoolId: pool, ProviderName: 'Google' }));
    const d = (await corral.idp.send(new DescribeUserPoolClientCommand({ UserPoolId: pool, ClientId: client.ClientId }))).UserPoolClient!;
    expect(d.SupportedIdentityProviders).toEqual(['COGNITO']);
    expect((await fail(corral.idp.send(new DescribeIdentityProviderCommand({ UserPoolId: pool, ProviderName: 'Google' })))).name).toBe(
      'ResourceNotFoundException',
    );
    const again = await fail(corral.idp.send(new DeleteIdentityProviderCommand({ UserPoolId: pool, ProviderName: 'Google' })));
    expect(again.name).toBe('ResourceNotFoundException');
  });

  it('a deleted user takes its links along, and a deleted pool its providers', async () => {
    const pool = await newPool('Deletions');
    await create({ ProviderName: 'Google', ProviderType: 'Google', ProviderDetails: googleDetails, IdpIdentifiers: ['gone'] }, pool);
    await corral.idp.send(new AdminCreateUserCommand({ UserPoolId: pool, Username: 'frank', MessageAction: 'SUPPRESS' }));
    const source = { ProviderName: 'Google', ProviderAttributeName: 'Cognito_Subject', ProviderAttributeValue: 'g-frank' };
    await corral.idp.send(
      new AdminLinkProviderForUserCommand({
        UserPoolId: pool,
        DestinationUser: { ProviderName: 'Cognito', ProviderAttributeValue: 'frank' },
        SourceUser: source,
      }),
    );
    await corral.idp.send(new AdminDeleteUserCommand({ UserPoolId: pool, Username: 'frank' }));
    await corral.idp.send(new AdminCreateUserCommand({ UserPoolId: pool, Username: 'grace', MessageAction: 'SUPPRESS' }));
    await corral.idp.send(
      new AdminLinkProviderForUserCommand({
        UserPoolId: pool,
        DestinationUser: { ProviderName: 'Cognito', ProviderAttributeValue: 'grace' },
        SourceUser: source,
      }),
    );
    await corral.idp.send(new DeleteUserPoolCommand({ UserPoolId: pool }));
    for (const table of ['identity_providers', 'identity_provider_identifiers', 'identity_provider_links'] as const)
      expect(await corral.app.db.selectFrom(table).selectAll().where('pool_id', '=', pool).execute()).toEqual([]);
  });

  describe('AdminLinkProviderForUser and AdminDisableProviderForUser', () => {
    let pool: string;
    const cognito = (username: string) => ({ ProviderName: 'Cognito', ProviderAttributeValue: username });
    const google = (sub: string) => ({ ProviderName: 'Google', ProviderAttributeName: 'Cognito_Subject', ProviderAttributeValue: sub });
    const link = (dest: object, src: object) =>
      corral.idp.send(new AdminLinkProviderForUserCommand({ UserPoolId: pool, DestinationUser: dest, SourceUser: src }));
    const identities = async (username: string) => {
      const u = await corral.idp.send(new AdminGetUserCommand({ UserPoolId: pool, Username: username }));
      return JSON.parse(u.UserAttributes!.find((a) => a.Name === 'identities')?.Value ?? '[]') as { userId: string; providerName: string }[];
    };
    /** The federated user a first sign-in of the Google identity `sub` makes (a native user of that name is not it). */
    const signUpWithGoogle = async (sub: string) => {
      const { federatedSignIn } = await import('../../src/domain/federation/sign-in.js');
      const { findProvider } = await import('../../src/domain/federation/providers.js');
      const { findClient, findPool } = await import('../../src/domain/pools.js');
      const app = corral.app;
      const c = await corral.idp.send(new CreateUserPoolClientCommand({ UserPoolId: pool, ClientName: 'federated' }));
      const client = (await findClient(app, c.UserPoolClient!.ClientId!))!;
      await federatedSignIn(app, (await findPool(app, pool))!, client, (await findProvider(app, pool, 'Google'))!, sub, {});
    };
    beforeAll(async () => {
      pool = await newPool('Links');
      await create({ ProviderName: 'Google', ProviderType: 'Google', ProviderDetails: googleDetails }, pool);
      await create(
        {
          ProviderName: 'Corp',
          ProviderType: 'OIDC',
          ProviderDetails: { client_id: 'x', authorize_scopes: 'openid', oidc_issuer: op.issuer },
          AttributeMapping: { email: 'email' },
        },
        pool,
      );
      for (const u of ['alice', 'bob', 'carol'])
        await corral.idp.send(new AdminCreateUserCommand({ UserPoolId: pool, Username: u, MessageAction: 'SUPPRESS' }));
    });

    it('links an identity to a user, lists it in identities, and finds it for the sign-in', async () => {
      await link(cognito('alice'), google('g-alice'));
      expect(await identities('alice')).toEqual([
        { userId: 'g-alice', providerName: 'Google', providerType: 'Google', issuer: null, primary: false, dateCreated: expect.any(Number) },
      ]);
      const { linkedUserSub, resolveLinkedUser } = await import('../../src/domain/federation/links.js');
      const alice = await corral.idp.send(new AdminGetUserCommand({ UserPoolId: pool, Username: 'alice' }));
      const sub = alice.UserAttributes!.find((a) => a.Name === 'sub')!.Value;
      expect(await linkedUserSub(corral.app, pool, 'Google', 'g-alice')).toBe(sub);
      expect(await linkedUserSub(corral.app, pool, 'Google', 'g-other')).toBeUndefined();

      // an OIDC identity linked by a mapped attribute is found by it, then by its subject
      await link(cognito('alice'), { ProviderName: 'Corp', ProviderAttributeName: 'email', ProviderAttributeValue: 'alice@corp.example.com' });
      const { findPool } = await import('../../src/domain/pools.js');
      const p = (await findPool(corral.app, pool))!;
      expect((await resolveLinkedUser(corral.app, p, 'Corp', 'corp-sub-1', { email: 'alice@corp.example.com' }))?.username).toBe('alice');
      expect(await linkedUserSub(corral.app, pool, 'Corp', 'corp-sub-1')).toBe(sub);
      expect((await resolveLinkedUser(corral.app, p, 'Corp', 'corp-sub-2', { email: 'bob@corp.example.com' }))?.username).toBeUndefined();
    });

    it('refuses what Cognito refuses', async () => {
      const refusal = async (p: Promise<unknown>, name = 'InvalidParameterException') => {
        const e = await fail(p);
        expect(e.name).toBe(name);
        return e.message;
      };
      expect(await refusal(link(cognito('bob'), google('g-alice')))).toBe('SourceUser is already linked to DestinationUser');
      expect(await refusal(link(cognito('bob'), cognito('carol')))).toBe(
        'Invalid SourceUser: Cognito users with a username/password may not be passed in as a SourceUser, only as a DestinationUser',
      );
      expect(await refusal(link(cognito('nobody'), google('g-x')), 'UserNotFoundException')).toBe('User does not exist.');
      expect(await refusal(link(cognito('bob'), { ...google('g-x'), ProviderName: 'Facebook' }), 'ResourceNotFoundException')).toMatch(/Facebook/);
      expect(await refusal(link(cognito('bob'), { ...google('g-x'), ProviderAttributeName: 'email' }))).toMatch(/Cognito_Subject/);
      expect(await refusal(link(cognito('bob'), { ProviderName: 'Corp', ProviderAttributeName: 'phone_number', ProviderAttributeValue: '+1' }))).toMatch(
        /phone_number/,
      );
      expect(await refusal(link({ ProviderName: 'Google', ProviderAttributeValue: 'bob' }, google('g-x')))).toMatch(/DestinationUser/);
      // a source that has signed up already (its federated user exists) cannot be merged
      await signUpWithGoogle('g-signed-up');
      expect(await refusal(link(cognito('bob'), google('g-signed-up')))).toBe(
        'Merging is not currently supported, provide a SourceUser that has not been signed up in order to link',
      );
      await corral.idp.send(new AdminDeleteUserCommand({ UserPoolId: pool, Username: 'Google_g-signed-up' }));
    });

    it('links at most 5 identities to a user', async () => {
      for (let i = 0; i < 5; i++) await link(cognito('carol'), google(`g-carol-${i}`));
      const e = await fail(link(cognito('carol'), google('g-carol-5')));
      expect(e.name).toBe('LimitExceededException');
      expect(await identities('carol')).toHaveLength(5);
    });

    it('AdminDisableProviderForUser removes the link (and its identities entry); an unknown identity is not found', async () => {
      await corral.idp.send(new AdminDisableProviderForUserCommand({ UserPoolId: pool, User: google('g-alice') }));
      expect((await identities('alice')).map((i) => i.providerName)).toEqual(['Corp']);
      const { linkedUserSub } = await import('../../src/domain/federation/links.js');
      expect(await linkedUserSub(corral.app, pool, 'Google', 'g-alice')).toBeUndefined();
      const again = await fail(corral.idp.send(new AdminDisableProviderForUserCommand({ UserPoolId: pool, User: google('g-alice') })));
      expect(again.name).toBe('UserNotFoundException');
      // the identity can now be linked to someone else
      await link(cognito('bob'), google('g-alice'));
      // the re-keyed SAML/OIDC link is removed by Cognito_Subject + subject
      await corral.idp.send(
        new AdminDisableProviderForUserCommand({
          UserPoolId: pool,
          User: { ProviderName: 'Corp', ProviderAttributeName: 'Cognito_Subject', ProviderAttributeValue: 'corp-sub-1' },
        }),
      );
      expect(await identities('alice')).toEqual([]);
    });

    it('AdminDisableProviderForUser disables a federated user that is not linked', async () => {
      await signUpWithGoogle('g-dave');
      // a native user that merely has such a name is no identity of the provider
      await corral.idp.send(new AdminCreateUserCommand({ UserPoolId: pool, Username: 'Google_g-native', MessageAction: 'SUPPRESS' }));
      const notFederated = await fail(corral.idp.send(new AdminDisableProviderForUserCommand({ UserPoolId: pool, User: google('g-native') })));
      expect(notFederated.name).toBe('UserNotFoundException');
      expect((await corral.idp.send(new AdminGetUserCommand({ UserPoolId: pool, Username: 'Google_g-native' }))).Enabled).toBe(true);
      await corral.idp.send(new AdminDisableProviderForUserCommand({ UserPoolId: pool, User: google('g-dave') }));
      expect((await corral.idp.send(new AdminGetUserCommand({ UserPoolId: pool, Username: 'Google_g-dave' }))).Enabled).toBe(false);
      const { isProviderDisabledFor } = await import('../../src/domain/federation/links.js');
      const { findPool } = await import('../../src/domain/pools.js');
      const p = (await findPool(corral.app, pool))!;
      expect(await isProviderDisabledFor(corral.app, p, 'Google', 'g-dave')).toBe(true);
      expect(await isProviderDisabledFor(corral.app, p, 'Google', 'g-erin')).toBe(false);
      const native = await fail(
        corral.idp.send(new AdminDisableProviderForUserCommand({ UserPoolId: pool, User: { ...cognito('bob'), ProviderAttributeName: 'Cognito_Subject' } })),
      );
      expect(native.name).toBe('UnsupportedOperationException');
    });
  });
});
