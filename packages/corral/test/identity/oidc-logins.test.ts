// Identity pools with OpenID Connect providers (OpenIdConnectProviderARNs, registered in CORRAL_IAM_PROVIDERS), over
// the SDK v3 and real HTTP: a real OP (oidc-provider) signs users in and its ID tokens become identities and
// credentials; a bare issuer at a path mints the tokens Cognito refuses (another audience, another key, expired, another
// issuer); logins link, merge and unlink; role mapping rules read the OIDC claims; racing GetIds make one identity.
import {
  type CognitoIdentityClient,
  CreateIdentityPoolCommand,
  DescribeIdentityCommand,
  DescribeIdentityPoolCommand,
  GetCredentialsForIdentityCommand,
  GetIdCommand,
  GetOpenIdTokenCommand,
  ListIdentitiesCommand,
  SetIdentityPoolRolesCommand,
  UnlinkIdentityCommand,
  UpdateIdentityPoolCommand,
} from '@aws-sdk/client-cognito-identity';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { verifyTemporaryCredentials } from '../../src/identity/credentials.js';
import { describeEachBackend, startTestCorral, type TestCorral } from '../support/corral.js';
import { AUTH_ROLE, createIdentityPoolWithRoles, publicIdentityClient, setDefaultRoles, UNAUTH_ROLE } from '../support/identity.js';
import { race } from '../support/race.js';
import { iamProvidersEnv, oidcArn, startMiniIssuer, startOidcProvider, type MiniIssuer, type RealOp } from './oidc-issuers.js';
import { fail } from '../support/rejection.js';

const ADMIN_ROLE = 'arn:aws:iam::000000000000:role/RideAdmins';

describeEachBackend('identity pools with OpenID Connect providers', (backend) => {
  let op: RealOp;
  let mini: MiniIssuer;
  let corral: TestCorral;
  let pub: CognitoIdentityClient; // a browser's client: no credentials
  let poolId: string;

  beforeAll(async () => {
    op = await startOidcProvider();
    mini = await startMiniIssuer();
    corral = await startTestCorral({
      backend,
      env: { CORRAL_IAM_PROVIDERS: iamProvidersEnv([op, mini].map((i) => ({ url: i.url, clientIds: [i.clientId, 'second-app'] }))) },
    });
    pub = publicIdentityClient(corral);
    poolId = await createIdentityPoolWithRoles(corral, {
      IdentityPoolName: 'rides_partners',
      AllowUnauthenticatedIdentities: false,
      OpenIdConnectProviderARNs: [oidcArn(op), oidcArn(mini)],
    });
  }, 60_000);
  afterAll(async () => {
    pub?.destroy();
    await corral?.stop();
    await op?.stop();
    await mini?.stop();
  });

  it("GetId → GetCredentialsForIdentity → GetOpenIdToken with the real OP's ID token; the same identity every time", async () => {
    const idToken = await op.signIn('alice');
    const { IdentityId } = await pub.send(new GetIdCommand({ IdentityPoolId: poolId, Logins: { [op.name]: idToken } }));
    expect(IdentityId).toMatch(/^us-east-1:[0-9a-f-]{36}$/);
    // A later sign-in (a new token) is the same identity.
    const again = await pub.send(new GetIdCommand({ IdentityPoolId: poolId, Logins: { [op.name]: await op.signIn('alice') } }));
    expect(again.IdentityId).toBe(IdentityId);

    const creds = await pub.send(new GetCredentialsForIdentityCommand({ IdentityId, Logins: { [op.name]: idToken } }));
    expect(creds.IdentityId).toBe(IdentityId);
    expect(creds.Credentials?.AccessKeyId).toMatch(/^ASIA[A-Z0-9]{16}$/);
    const verified = verifyTemporaryCredentials(corral.app, creds.Credentials!.AccessKeyId!, creds.Credentials!.SessionToken);
    expect(verified).toMatchObject({ identityId: IdentityId, identityPoolId: poolId, roleArn: AUTH_ROLE });

    const open = await pub.send(new GetOpenIdTokenCommand({ IdentityId, Logins: { [op.name]: idToken } }));
    expect(decodeJwt(open.Token!)).toMatchObject({ sub: IdentityId, aud: poolId, amr: ['authenticated', op.name, `${op.name}:${op.clientId}:alice`] });

    const described = await corral.identity.send(new DescribeIdentityCommand({ IdentityId }));
    expect(described.Logins).toEqual([op.name]);
    const pool = await corral.identity.send(new DescribeIdentityPoolCommand({ IdentityPoolId: poolId }));
    expect(pool.OpenIdConnectProviderARNs).toEqual([oidcArn(op), oidcArn(mini)]);
  });

  it('a token with several audiences: amr names the listed client that matched (azp when listed), not aud[0]', async () => {
    const amrOf = async (claims: Record<string, unknown>) => {
      const Logins = { [mini.name]: await mini.token(claims) };
      const { IdentityId } = await pub.send(new GetIdCommand({ IdentityPoolId: poolId, Logins }));
      return decodeJwt((await pub.send(new GetOpenIdTokenCommand({ IdentityId, Logins }))).Token!).amr;
    };
    expect(await amrOf({ sub: 'multi-aud', aud: ['stranger-app', 'second-app'] })).toEqual(['authenticated', mini.name, `${mini.name}:second-app:multi-aud`]);
    expect(await amrOf({ sub: 'multi-aud', aud: ['stranger-app', mini.clientId, 'second-app'], azp: 'second-app' })).toEqual([
      'authenticated',
      mini.name,
      `${mini.name}:second-app:multi-aud`,
    ]);
    // An azp the provider does not list is no audience of it: the first listed aud.
    expect(await amrOf({ sub: 'multi-aud', aud: ['stranger-app', mini.clientId], azp: 'stranger-app' })).toEqual([
      'authenticated',
      mini.name,
      `${mini.name}:${mini.clientId}:multi-aud`,
    ]);
  });

  it('refuses another audience, another key, an expired token, another issuer, a provider the pool does not name', async () => {
    const refused = async (logins: Record<string, string>) => {
      const e = await fail(pub.send(new GetIdCommand({ IdentityPoolId: poolId, Logins: logins })));
      return `${e.name}: ${e.message}`;
    };
    expect(await refused({ [mini.name]: await mini.token({ aud: 'someone-else' }) })).toBe(
      'NotAuthorizedException: Invalid login token. Incorrect token audience.',
    );
    // Another key under the issuer's kid: the signature does not verify.
    expect(await refused({ [mini.name]: await mini.token({}, { key: mini.strangerKey }) })).toBe(
      "NotAuthorizedException: Invalid login token. Couldn't verify signed token.",
    );
    // An altered payload under the real signature.
    const [h, , s] = (await mini.token()).split('.');
    const forged = Buffer.from(JSON.stringify({ iss: mini.url, aud: mini.clientId, sub: 'mallory', exp: Math.floor(Date.now() / 1000) + 600 })).toString(
      'base64url',
    );
    expect(await refused({ [mini.name]: `${h}.${forged}.${s}` })).toBe("NotAuthorizedException: Invalid login token. Couldn't verify signed token.");
    expect(await refused({ [mini.name]: await mini.token({ exp: Math.floor(Date.now() / 1000) - 60 }) })).toMatch(
      /^NotAuthorizedException: Invalid login token\. Token expired: \d+ >= \d+$/,
    );
    expect(await refused({ [mini.name]: await mini.token({ iss: op.url }) })).toBe(
      "NotAuthorizedException: Invalid login token. Issuer doesn't match providerName",
    );
    expect(await refused({ [mini.name]: await mini.token({ aud: undefined }) })).toBe(
      'NotAuthorizedException: Invalid login token. Missing a required claim: aud',
    );
    expect(await refused({ [mini.name]: 'not-a-jwt' })).toBe("NotAuthorizedException: Invalid login token. Couldn't verify signed token.");
    expect(await refused({ 'accounts.example.com': await mini.token() })).toBe(
      'NotAuthorizedException: Token is not from a supported provider of this identity pool.',
    );
    // Every client of the IAM provider's ClientIDList is an audience.
    const second = await pub.send(
      new GetIdCommand({ IdentityPoolId: poolId, Logins: { [mini.name]: await mini.token({ aud: 'second-app', sub: 'second-app-user' }) } }),
    );
    expect(second.IdentityId).toBeTruthy();

    // A pool that names only the OP does not take the mini issuer's tokens.
    const onlyOp = await corral.identity.send(
      new CreateIdentityPoolCommand({ IdentityPoolName: 'op_only', AllowUnauthenticatedIdentities: false, OpenIdConnectProviderARNs: [oidcArn(op)] }),
    );
    const e = await fail(pub.send(new GetIdCommand({ IdentityPoolId: onlyOp.IdentityPoolId!, Logins: { [mini.name]: await mini.token() } })));
    expect(`${e.name}: ${e.message}`).toBe('NotAuthorizedException: Token is not from a supported provider of this identity pool.');
    // GetCredentialsForIdentity checks the token as well.
    const { IdentityId } = await pub.send(new GetIdCommand({ IdentityPoolId: poolId, Logins: { [mini.name]: await mini.token({ sub: 'checked' }) } }));
    const e2 = await fail(
      pub.send(new GetCredentialsForIdentityCommand({ IdentityId, Logins: { [mini.name]: await mini.token({ sub: 'checked', aud: 'x' }) } })),
    );
    expect(`${e2.name}: ${e2.message}`).toBe('NotAuthorizedException: Invalid login token. Incorrect token audience.');
    // An ARN that names no registered provider is refused at CreateIdentityPool / UpdateIdentityPool.
    const e3 = await fail(
      corral.identity.send(
        new CreateIdentityPoolCommand({
          IdentityPoolName: 'nowhere',
          AllowUnauthenticatedIdentities: false,
          OpenIdConnectProviderARNs: ['arn:aws:iam::000000000000:oidc-provider/accounts.example.com'],
        }),
      ),
    );
    expect(e3.name).toBe('InvalidParameterException');
  });

  it('logins link to one identity, merge when they belong to two, and unlink', async () => {
    const aliceOp = await op.signIn('carol');
    const { IdentityId: a } = await pub.send(new GetIdCommand({ IdentityPoolId: poolId, Logins: { [op.name]: aliceOp } }));
    // The same person at the partner: presenting both links the partner login to the identity.
    const partner = await mini.token({ sub: 'carol-at-partner' });
    await pub.send(new GetCredentialsForIdentityCommand({ IdentityId: a, Logins: { [op.name]: aliceOp, [mini.name]: partner } }));
    expect((await corral.identity.send(new DescribeIdentityCommand({ IdentityId: a }))).Logins?.sort()).toEqual([op.name, mini.name].sort());
    expect((await pub.send(new GetIdCommand({ IdentityPoolId: poolId, Logins: { [mini.name]: partner } }))).IdentityId).toBe(a);

    // Two identities (one per provider) presented together become one: the older one stays.
    const daveOp = await op.signIn('dave');
    const { IdentityId: d1 } = await pub.send(new GetIdCommand({ IdentityPoolId: poolId, Logins: { [op.name]: daveOp } }));
    const davePartner = await mini.token({ sub: 'dave-at-partner' });
    const { IdentityId: d2 } = await pub.send(new GetIdCommand({ IdentityPoolId: poolId, Logins: { [mini.name]: davePartner } }));
    expect(d2).not.toBe(d1);
    const merged = await pub.send(new GetIdCommand({ IdentityPoolId: poolId, Logins: { [op.name]: daveOp, [mini.name]: davePartner } }));
    expect(merged.IdentityId).toBe(d1);
    expect((await corral.identity.send(new DescribeIdentityCommand({ IdentityId: d1 }))).Logins?.sort()).toEqual([op.name, mini.name].sort());
    expect((await fail(corral.identity.send(new DescribeIdentityCommand({ IdentityId: d2 })))).name).toBe('ResourceNotFoundException');

    // Identities linked to one provider as different users are not merged.
    const conflict = await fail(pub.send(new GetIdCommand({ IdentityPoolId: poolId, Logins: { [op.name]: daveOp, [mini.name]: partner } })));
    expect(conflict.name).toBe('ResourceConflictException');

    // UnlinkIdentity removes the partner login; the partner user is then a new identity.
    await pub.send(new UnlinkIdentityCommand({ IdentityId: a, Logins: { [op.name]: aliceOp }, LoginsToRemove: [mini.name] }));
    expect((await corral.identity.send(new DescribeIdentityCommand({ IdentityId: a }))).Logins).toEqual([op.name]);
    expect((await pub.send(new GetIdCommand({ IdentityPoolId: poolId, Logins: { [mini.name]: partner } }))).IdentityId).not.toBe(a);
  });

  it("role mapping rules over the OIDC provider's claims (keyed by provider name or ARN), AmbiguousRoleResolution", async () => {
    const rules = (resolution: 'Deny' | 'AuthenticatedRole', key = op.name) =>
      corral.identity.send(
        new SetIdentityPoolRolesCommand({
          IdentityPoolId: poolId,
          Roles: { authenticated: AUTH_ROLE, unauthenticated: UNAUTH_ROLE },
          RoleMappings: {
            [key]: {
              Type: 'Rules',
              AmbiguousRoleResolution: resolution,
              RulesConfiguration: { Rules: [{ Claim: 'team', MatchType: 'Equals', Value: 'admins', RoleARN: ADMIN_ROLE }] },
            },
          },
        }),
      );
    const roleOf = async (user: string) => {
      const token = await op.signIn(user);
      const { IdentityId } = await pub.send(new GetIdCommand({ IdentityPoolId: poolId, Logins: { [op.name]: token } }));
      const creds = await pub.send(new GetCredentialsForIdentityCommand({ IdentityId, Logins: { [op.name]: token } }));
      return verifyTemporaryCredentials(corral.app, creds.Credentials!.AccessKeyId!, creds.Credentials!.SessionToken)!.roleArn;
    };
    try {
      await rules('Deny');
      expect(await roleOf('admin-erin')).toBe(ADMIN_ROLE);
      const denied = await fail(roleOf('frank'));
      expect(`${denied.name}: ${denied.message}`).toBe('NotAuthorizedException: The ambiguous role mapping rules denied this request.');
      await rules('AuthenticatedRole', oidcArn(op));
      expect(await roleOf('frank')).toBe(AUTH_ROLE);
      expect(await roleOf('admin-erin')).toBe(ADMIN_ROLE);
    } finally {
      await setDefaultRoles(corral, poolId);
    }
  });

  it('racing first GetIds for one login make one identity', async () => {
    const token = await mini.token({ sub: 'racer' });
    const burst = await race(Array.from({ length: 12 }, () => () => pub.send(new GetIdCommand({ IdentityPoolId: poolId, Logins: { [mini.name]: token } }))));
    expect(burst.tally).toEqual({ ok: 12 });
    expect(new Set(burst.values.map((v) => v.IdentityId)).size).toBe(1);
    const all = await corral.identity.send(new ListIdentitiesCommand({ IdentityPoolId: poolId, MaxResults: 60 }));
    const mine = all.Identities!.filter((i) => i.IdentityId === burst.values[0]!.IdentityId);
    expect(mine).toHaveLength(1);
    expect(all.Identities!.filter((i) => i.Logins?.includes(mini.name)).length).toBeGreaterThan(0);
  });

  it('UpdateIdentityPool keeps the developer provider name and checks the ARNs', async () => {
    const created = await corral.identity.send(
      new CreateIdentityPoolCommand({ IdentityPoolName: 'dev_pool', AllowUnauthenticatedIdentities: false, DeveloperProviderName: 'login.rides' }),
    );
    const e = await fail(
      corral.identity.send(new UpdateIdentityPoolCommand({ ...created, DeveloperProviderName: 'login.other', OpenIdConnectProviderARNs: [oidcArn(op)] })),
    );
    expect(`${e.name}: ${e.message}`).toBe('InvalidParameterException: Once you have set a developer provider name, you cannot change it.');
    const updated = await corral.identity.send(new UpdateIdentityPoolCommand({ ...created, OpenIdConnectProviderARNs: [oidcArn(op)] }));
    expect(updated).toMatchObject({ DeveloperProviderName: 'login.rides', OpenIdConnectProviderARNs: [oidcArn(op)] });
    const bad = await fail(corral.identity.send(new UpdateIdentityPoolCommand({ ...created, OpenIdConnectProviderARNs: [`${oidcArn(op)}x`] })));
    expect(bad.name).toBe('InvalidParameterException');
  });
});
