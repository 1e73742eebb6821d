import {
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DeleteUserPoolClientCommand,
  DeleteUserPoolCommand,
  DescribeUserPoolClientCommand,
  ListUserPoolClientsCommand,
  UpdateUserPoolClientCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachBackend, startTestCorral, type TestCorral } from '../support/corral.js';
import { fail } from '../support/rejection.js';

describeEachBackend('user pool clients', (backend) => {
  let corral: TestCorral;
  let poolId: string;
  beforeAll(async () => {
    corral = await startTestCorral({ backend });
    poolId = (
      await corral.idp.send(
        new CreateUserPoolCommand({
          PoolName: 'WildRydes',
          AliasAttributes: ['email', 'phone_number'],
          Schema: [{ Name: 'genre', AttributeDataType: 'String', Mutable: true }],
        }),
      )
    ).UserPool!.Id!;
  });
  afterAll(() => corral.stop());

  it("creates the seed's web client (no secret) with Cognito defaults", async () => {
    const c = (await corral.idp.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'wildrydes-web-app', GenerateSecret: false })))
      .UserPoolClient!;
    expect(c.ClientId).toMatch(/^[a-z0-9]{26}$/);
    expect(c.ClientSecret).toBeUndefined();
    const d = (await corral.idp.send(new DescribeUserPoolClientCommand({ UserPoolId: poolId, ClientId: c.ClientId }))).UserPoolClient!;
    expect(d).toEqual({
      UserPoolId: poolId,
      ClientName: 'wildrydes-web-app',
      ClientId: c.ClientId,
      LastModifiedDate: c.CreationDate,
      CreationDate: c.CreationDate,
      RefreshTokenValidity: 30,
      TokenValidityUnits: {},
      ExplicitAuthFlows: ['ALLOW_CUSTOM_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_USER_SRP_AUTH'],
      AllowedOAuthFlowsUserPoolClient: false,
      PreventUserExistenceErrors: 'LEGACY',
      EnableTokenRevocation: true,
      EnablePropagateAdditionalUserContextData: false,
      AuthSessionValidity: 3,
    });
    expect(c).toEqual(d);
  });

  it('generates a 51-character secret only when asked, and returns it on describe', async () => {
    const c = (await corral.idp.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'server', GenerateSecret: true }))).UserPoolClient!;
    expect(c.ClientSecret).toMatch(/^[a-z0-9]{51}$/);
    const d = (await corral.idp.send(new DescribeUserPoolClientCommand({ UserPoolId: poolId, ClientId: c.ClientId }))).UserPoolClient!;
    expect(d.ClientSecret).toBe(c.ClientSecret);
    // encrypted at rest
    const row = await corral.app.db.selectFrom('user_pool_clients').select('secret').where('id', '=', c.ClientId!).executeTakeFirstOrThrow();
    expect(row.secret).not.toContain(c.ClientSecret);
  });

  it('stores explicit settings: flows, validity, attributes, OAuth', async () => {
    const c = (
      await corral.idp.send(
        new CreateUserPoolClientCommand({
          UserPoolId: poolId,
          ClientName: 'explicit',
          ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
          AccessTokenValidity: 30,
          IdTokenValidity: 2,
          RefreshTokenValidity: 600,
          TokenValidityUnits: { AccessToken: 'minutes', RefreshToken: 'minutes' },
          AuthSessionValidity: 10,
          ReadAttributes: ['email', 'custom:genre', 'email_verified'],
          WriteAttributes: ['email', 'custom:genre'],
          PreventUserExistenceErrors: 'ENABLED',
          EnableTokenRevocation: false,
          AllowedOAuthFlowsUserPoolClient: true,
          AllowedOAuthFlows: ['code'],
          AllowedOAuthScopes: ['openid', 'email'],
          CallbackURLs: ['https://example.com/cb', 'http://localhost:3000/cb'],
          DefaultRedirectURI: 'https://example.com/cb',
          LogoutURLs: ['https://example.com/'],
          SupportedIdentityProviders: ['COGNITO'],
        }),
      )
    ).UserPoolClient!;
    expect(c).toMatchObject({
      ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      AccessTokenValidity: 30,
      IdTokenValidity: 2,
      RefreshTokenValidity: 600,
      TokenValidityUnits: { AccessToken: 'minutes', RefreshToken: 'minutes' },
      AuthSessionValidity: 10,
      ReadAttributes: ['custom:genre', 'email', 'email_verified'],
      WriteAttributes: ['custom:genre', 'email'],
      PreventUserExistenceErrors: 'ENABLED',
      EnableTokenRevocation: false,
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ['code'],
      DefaultRedirectURI: 'https://example.com/cb',
    });
    const legacy = (
      await corral.idp.send(
        new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'legacy', ExplicitAuthFlows: ['USER_PASSWORD_AUTH', 'ADMIN_NO_SRP_AUTH'] }),
      )
    ).UserPoolClient!;
    expect(legacy.ExplicitAuthFlows).toEqual(['USER_PASSWORD_AUTH', 'ADMIN_NO_SRP_AUTH']);
  });

  it('refuses invalid client settings', async () => {
    const create = (extra: object) => fail(corral.idp.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'bad', ...extra })));
    const read = await create({ ReadAttributes: ['custom:nope'] });
    expect(read.name).toBe('InvalidParameterException');
    expect(read.message).toBe('Invalid read attributes specified while creating a client');
    expect((await create({ WriteAttributes: ['sub'] })).message).toBe('Invalid write attributes specified while creating a client');
    expect((await create({ AccessTokenValidity: 2, TokenValidityUnits: { AccessToken: 'days' } })).message).toBe('Invalid range for token validity.');
    expect((await create({ AccessTokenValidity: 4, TokenValidityUnits: { AccessToken: 'minutes' } })).message).toBe('Invalid range for token validity.');
    expect((await create({ RefreshTokenValidity: 3651 })).message).toBe('Invalid range for token validity.');
    expect((await create({ AuthSessionValidity: 2 })).message).toMatch(/authSessionValidity.*greater than or equal to 3/);
    expect((await create({ ExplicitAuthFlows: ['USER_PASSWORD_AUTH', 'ALLOW_USER_SRP_AUTH'] })).name).toBe('InvalidParameterException');
    expect((await create({ ExplicitAuthFlows: ['NOPE'] })).message).toMatch(/explicitAuthFlows\.1\.member.*enum value set/);
    expect((await create({ CallbackURLs: ['http://example.com/cb'] })).name).toBe('InvalidParameterException');
    const noPool = await fail(corral.idp.send(new CreateUserPoolClientCommand({ UserPoolId: 'us-east-1_nope12345', ClientName: 'x' })));
    expect(noPool.name).toBe('ResourceNotFoundException');
    expect(noPool.message).toBe('User pool us-east-1_nope12345 does not exist.');
  });

  it('updates (unspecified settings back to defaults, secret kept) and deletes clients', async () => {
    const c = (
      await corral.idp.send(
        new CreateUserPoolClientCommand({
          UserPoolId: poolId,
          ClientName: 'upd',
          GenerateSecret: true,
          ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
          AccessTokenValidity: 2,
        }),
      )
    ).UserPoolClient!;
    await new Promise((r) => setTimeout(r, 20));
    const u = (await corral.idp.send(new UpdateUserPoolClientCommand({ UserPoolId: poolId, ClientId: c.ClientId, ClientName: 'renamed', IdTokenValidity: 3 })))
      .UserPoolClient!;
    expect(u.ClientName).toBe('renamed');
    expect(u.ClientSecret).toBe(c.ClientSecret);
    expect(u.IdTokenValidity).toBe(3);
    expect(u.AccessTokenValidity).toBeUndefined();
    expect(u.ExplicitAuthFlows).toEqual(['ALLOW_CUSTOM_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_USER_SRP_AUTH']);
    expect(u.CreationDate).toEqual(c.CreationDate);
    expect(u.LastModifiedDate!.getTime()).toBeGreaterThan(c.LastModifiedDate!.getTime());
    const kept = (await corral.idp.send(new UpdateUserPoolClientCommand({ UserPoolId: poolId, ClientId: c.ClientId }))).UserPoolClient!;
    expect(kept.ClientName).toBe('renamed');

    await corral.idp.send(new DeleteUserPoolClientCommand({ UserPoolId: poolId, ClientId: c.ClientId }));
    const gone = await fail(corral.idp.send(new DescribeUserPoolClientCommand({ UserPoolId: poolId, ClientId: c.ClientId })));
    expect(gone.name).toBe('ResourceNotFoundException');
    expect(gone.message).toBe(`User pool client ${c.ClientId} does not exist.`);
  });

  it('does not find a client through another pool', async () => {
    const other = (await corral.idp.send(new CreateUserPoolCommand({ PoolName: 'other' }))).UserPool!.Id!;
    const c = (await corral.idp.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'mine' }))).UserPoolClient!;
    const err = await fail(corral.idp.send(new DescribeUserPoolClientCommand({ UserPoolId: other, ClientId: c.ClientId })));
    expect(err.name).toBe('ResourceNotFoundException');
    expect((await fail(corral.idp.send(new DeleteUserPoolClientCommand({ UserPoolId: other, ClientId: c.ClientId })))).name).toBe('ResourceNotFoundException');
  });

  it('lists clients page by page, and deleting the pool deletes its clients', async () => {
    const pool = (await corral.idp.send(new CreateUserPoolCommand({ PoolName: 'listing' }))).UserPool!.Id!;
    const ids: string[] = [];
    for (let i = 0; i < 5; i++)
      ids.push((await corral.idp.send(new CreateUserPoolClientCommand({ UserPoolId: pool, ClientName: `c${i}` }))).UserPoolClient!.ClientId!);
    const seen: string[] = [];
    let token: string | undefined;
    do {
      const out = await corral.idp.send(new ListUserPoolClientsCommand({ UserPoolId: pool, MaxResults: 2, NextToken: token }));
      expect(out.UserPoolClients!.length).toBeLessThanOrEqual(2);
      for (const c of out.UserPoolClients!) {
        expect(c.UserPoolId).toBe(pool);
        expect(c.ClientName).toMatch(/^c\d$/);
        seen.push(c.ClientId!);
      }
      token = out.NextToken;
    } while (token);
    expect(seen.sort()).toEqual([...ids].sort());
    expect((await corral.idp.send(new ListUserPoolClientsCommand({ UserPoolId: pool }))).UserPoolClients).toHaveLength(5);

    await corral.idp.send(new DeleteUserPoolCommand({ UserPoolId: pool }));
    const rows = await corral.app.db.selectFrom('user_pool_clients').select('id').where('pool_id', '=', pool).execute();
    expect(rows).toEqual([]);
    expect((await fail(corral.idp.send(new ListUserPoolClientsCommand({ UserPoolId: pool })))).name).toBe('ResourceNotFoundException');
  });
});
