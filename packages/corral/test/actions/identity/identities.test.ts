// Identities over the SDK v3 on both backends: GetId → GetCredentialsForIdentity → GetOpenIdToken for a signed-in
// user, Logins in both key forms, refused tokens, unauthenticated identities, role mappings, identity management.
import {
  CognitoIdentityClient,
  DeleteIdentitiesCommand,
  DeleteIdentityPoolCommand,
  DescribeIdentityCommand,
  GetCredentialsForIdentityCommand,
  GetIdCommand,
  GetOpenIdTokenCommand,
  ListIdentitiesCommand,
  type RoleMapping,
  SetIdentityPoolRolesCommand,
  UnlinkIdentityCommand,
  UpdateIdentityPoolCommand,
} from '@aws-sdk/client-cognito-identity';
import { AdminAddUserToGroupCommand, CreateGroupCommand, CreateUserPoolClientCommand } from '@aws-sdk/client-cognito-identity-provider';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { verifyTemporaryCredentials } from '../../../src/identity/credentials.js';
import { describeEachBackend } from '../../support/corral.js';
import { AUTH_ROLE, UNAUTH_ROLE, amplifyLoginsKey, createIdentityPoolFor, providerName, srpIdToken } from '../../support/identity.js';
import { createWildRydesPool, type SeedPool } from '../../support/pools.js';
import { signUpConfirmed, startSeeded, type Seeded } from '../../support/users.js';
import { fail } from '../../support/rejection.js';

const PASSWORD = 'Unicorn!Ride42';
const ADMIN_ROLE = 'arn:aws:iam::000000000000:role/WildRydesAdmins';
const COUNTRY_ROLE = 'arn:aws:iam::000000000000:role/CountryRiders';
const EXAMPLE_ROLE = 'arn:aws:iam::000000000000:role/ExampleRiders';

describeEachBackend('identities', (backend) => {
  let t: Seeded;
  let seed: SeedPool;
  let pub: CognitoIdentityClient; // a browser's client: no credentials, unsigned operations only
  let poolId: string;
  let idToken: string;
  const user = { name: 'rider1', email: 'rider1@example.com' };

  beforeAll(async () => {
    t = await startSeeded(backend);
    seed = t.seed;
    pub = new CognitoIdentityClient({ region: 'us-east-1', endpoint: t.corral.url, maxAttempts: 1 });
    await signUpConfirmed(t.corral, seed, user.name, PASSWORD, { email: user.email, 'custom:genre': 'Country' });
    idToken = await srpIdToken(t.pub, seed, user.name, PASSWORD);
    poolId = await createIdentityPoolFor(t.corral, seed);
    await t.corral.identity.send(
      new SetIdentityPoolRolesCommand({ IdentityPoolId: poolId, Roles: { authenticated: AUTH_ROLE, unauthenticated: UNAUTH_ROLE } }),
    );
  });
  afterAll(async () => {
    pub.destroy();
    await t.stop();
  });

  const logins = (token = idToken) => ({ [providerName(seed.poolId)]: token });

  it('GetId → GetCredentialsForIdentity → GetOpenIdToken for a signed-in user; the same IdentityId every time', async () => {
    const { IdentityId } = await pub.send(new GetIdCommand({ IdentityPoolId: poolId, Logins: logins() }));
    expect(IdentityId).toMatch(/^us-east-1:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect((await pub.send(new GetIdCommand({ IdentityPoolId: poolId, Logins: logins() }))).IdentityId).toBe(IdentityId);
    // A fresh sign-in, and the key Amplify v6 builds from the token's iss, name the same identity.
    const again = await srpIdToken(t.pub, seed, user.name, PASSWORD);
    expect((await pub.send(new GetIdCommand({ IdentityPoolId: poolId, Logins: { [amplifyLoginsKey(t.corral, seed.poolId)]: again } }))).IdentityId).toBe(
      IdentityId,
    );

    const before = Date.now();
    const creds = await pub.send(new GetCredentialsForIdentityCommand({ IdentityId, Logins: logins() }));
    expect(creds.IdentityId).toBe(IdentityId);
    const c = creds.Credentials!;
    expect(c.AccessKeyId).toMatch(/^ASIA[A-Z0-9]{16}$/);
    expect(c.SecretKey).toMatch(/^[A-Za-z0-9+/]{40}$/);
    expect(c.SessionToken!.length).toBeGreaterThan(100);
    expect(c.Expiration).toBeInstanceOf(Date);
    expect(c.Expiration!.getTime() - before).toBeGreaterThan(3590_000);
    expect(c.Expiration!.getTime() - before).toBeLessThanOrEqual(3601_000);
    const verified = verifyTemporaryCredentials(t.corral.app, c.AccessKeyId!, c.SessionToken!);
    expect(verified).toMatchObject({
      secretAccessKey: c.SecretKey,
      roleArn: AUTH_ROLE,
      identityId: IdentityId,
      identityPoolId: poolId,
      expiration: c.Expiration,
    });

    const open = await pub.send(new GetOpenIdTokenCommand({ IdentityId, Logins: logins() }));
    expect(open.IdentityId).toBe(IdentityId);
    const jwks = (await (await fetch(`${t.corral.url}/.well-known/identity-jwks.json`)).json()) as { keys: [] };
    const discovery = (await (await fetch(`${t.corral.url}/.well-known/openid-configuration`)).json()) as Record<string, string>;
    expect(discovery).toMatchObject({ issuer: t.corral.url, jwks_uri: `${t.corral.url}/.well-known/identity-jwks.json` });
    const { payload, protectedHeader } = await jwtVerify(open.Token!, createLocalJWKSet(jwks), { issuer: t.corral.url, audience: poolId });
    expect(protectedHeader.alg).toBe('RS256');
    expect(payload.sub).toBe(IdentityId);
    expect(payload.amr).toEqual([
      'authenticated',
      providerName(seed.poolId),
      `${providerName(seed.poolId)}:CognitoSignIn:${JSON.parse(Buffer.from(idToken.split('.')[1]!, 'base64url').toString()).sub}`,
    ]);
    expect(payload.exp! - payload.iat!).toBe(600);

    const described = await t.corral.identity.send(new DescribeIdentityCommand({ IdentityId }));
    expect(described).toMatchObject({ IdentityId, Logins: [providerName(seed.poolId)] });
    expect(described.CreationDate).toBeInstanceOf(Date);
    expect(described.LastModifiedDate).toBeInstanceOf(Date);
  });

  it('two concurrent first GetId calls for one user agree on the identity', async () => {
    await signUpConfirmed(t.corral, seed, 'racer', PASSWORD, { email: 'racer@example.com' });
    const token = await srpIdToken(t.pub, seed, 'racer', PASSWORD);
    const ids = await Promise.all(Array.from({ length: 6 }, () => pub.send(new GetIdCommand({ IdentityPoolId: poolId, Logins: logins(token) }))));
    expect(new Set(ids.map((r) => r.IdentityId)).size).toBe(1);
  });

  it('refuses tokens of another user pool, another app client, an unconfigured provider, expired or altered', async () => {
    const other = await createWildRydesPool(t.corral, { PoolName: 'Other' });
    await signUpConfirmed(t.corral, other, 'stranger', PASSWORD, { email: 'stranger@example.com' });
    const foreign = await srpIdToken(t.pub, other, 'stranger', PASSWORD);
    let e = await fail(pub.send(new GetIdCommand({ IdentityPoolId: poolId, Logins: logins(foreign) })));
    expect(e).toMatchObject({ name: 'NotAuthorizedException', message: "Invalid login token. Issuer doesn't match providerName" });
    e = await fail(pub.send(new GetIdCommand({ IdentityPoolId: poolId, Logins: { [providerName(other.poolId)]: foreign } })));
    expect(e).toMatchObject({ name: 'NotAuthorizedException', message: 'Token is not from a supported provider of this identity pool.' });

    const second = await t.corral.idp.send(
      new CreateUserPoolClientCommand({
        UserPoolId: seed.poolId,
        ClientName: 'other-app',
        ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      }),
    );
    const otherClientToken = await srpIdToken(t.pub, { poolId: seed.poolId, clientId: second.UserPoolClient!.ClientId! }, user.name, PASSWORD);
    e = await fail(pub.send(new GetIdCommand({ IdentityPoolId: poolId, Logins: logins(otherClientToken) })));
    expect(e).toMatchObject({ name: 'NotAuthorizedException', message: 'Token is not from a supported provider of this identity pool.' });

    const [h, p, s] = idToken.split('.');
    const claims = JSON.parse(Buffer.from(p!, 'base64url').toString());
    const altered = `${h}.${Buffer.from(JSON.stringify({ ...claims, sub: 'someone-else' })).toString('base64url')}.${s}`;
    e = await fail(pub.send(new GetIdCommand({ IdentityPoolId: poolId, Logins: logins(altered) })));
    expect(e).toMatchObject({ name: 'NotAuthorizedException', message: "Invalid login token. Couldn't verify signed token." });

    const app = t.corral.app;
    const realNow = app.now;
    app.now = () => realNow() + 2 * 3600_000;
    try {
      e = await fail(pub.send(new GetIdCommand({ IdentityPoolId: poolId, Logins: logins() })));
    } finally {
      app.now = realNow;
    }
    expect(e.name).toBe('NotAuthorizedException');
    expect(e.message).toMatch(new RegExp(`^Invalid login token\\. Token expired: \\d+ >= ${claims.exp}$`));

    e = await fail(pub.send(new GetIdCommand({ IdentityPoolId: 'us-east-1:00000000-0000-0000-0000-000000000000', Logins: logins() })));
    expect(e).toMatchObject({ name: 'ResourceNotFoundException', message: "IdentityPool 'us-east-1:00000000-0000-0000-0000-000000000000' not found." });
  });

  it('unauthenticated identities only where the pool allows them; an authenticated identity needs its Logins', async () => {
    let e = await fail(pub.send(new GetIdCommand({ IdentityPoolId: poolId })));
    expect(e).toMatchObject({ name: 'NotAuthorizedException', message: 'Unauthenticated access is not supported for this identity pool.' });

    const { IdentityId: authId } = await pub.send(new GetIdCommand({ IdentityPoolId: poolId, Logins: logins() }));
    e = await fail(pub.send(new GetCredentialsForIdentityCommand({ IdentityId: authId })));
    expect(e).toMatchObject({ name: 'NotAuthorizedException' });
    await signUpConfirmed(t.corral, seed, 'rider2', PASSWORD, { email: 'rider2@example.com' });
    const otherUser = await srpIdToken(t.pub, seed, 'rider2', PASSWORD);
    e = await fail(pub.send(new GetCredentialsForIdentityCommand({ IdentityId: authId, Logins: logins(otherUser) })));
    expect(e).toMatchObject({
      name: 'NotAuthorizedException',
      message: "Logins don't match. Please include at least one valid login for this identity or identity pool.",
    });

    const guestPool = await createIdentityPoolFor(t.corral, seed, { IdentityPoolName: 'guests', AllowUnauthenticatedIdentities: true });
    await t.corral.identity.send(
      new SetIdentityPoolRolesCommand({ IdentityPoolId: guestPool, Roles: { authenticated: AUTH_ROLE, unauthenticated: UNAUTH_ROLE } }),
    );
    const a = await pub.send(new GetIdCommand({ IdentityPoolId: guestPool }));
    const b = await pub.send(new GetIdCommand({ IdentityPoolId: guestPool }));
    expect(a.IdentityId).not.toBe(b.IdentityId);
    const guest = await pub.send(new GetCredentialsForIdentityCommand({ IdentityId: a.IdentityId }));
    expect(verifyTemporaryCredentials(t.corral.app, guest.Credentials!.AccessKeyId!, guest.Credentials!.SessionToken)?.roleArn).toBe(UNAUTH_ROLE);
    const open = await pub.send(new GetOpenIdTokenCommand({ IdentityId: a.IdentityId }));
    expect(JSON.parse(Buffer.from(open.Token!.split('.')[1]!, 'base64url').toString()).amr).toEqual(['unauthenticated']);
    expect((await t.corral.identity.send(new DescribeIdentityCommand({ IdentityId: a.IdentityId }))).Logins).toEqual([]);

    // Signing in on a guest identity: a user seen before gets their identity back; a new user's login links the guest.
    const { IdentityId: riderInGuests } = await pub.send(new GetIdCommand({ IdentityPoolId: guestPool, Logins: logins() }));
    expect(riderInGuests).not.toBe(b.IdentityId);
    const known = await pub.send(new GetCredentialsForIdentityCommand({ IdentityId: b.IdentityId, Logins: logins() }));
    expect(known.IdentityId).toBe(riderInGuests);
    await signUpConfirmed(t.corral, seed, 'newbie', PASSWORD, { email: 'newbie@example.com' });
    const newbie = await srpIdToken(t.pub, seed, 'newbie', PASSWORD);
    const linked = await pub.send(new GetCredentialsForIdentityCommand({ IdentityId: b.IdentityId, Logins: logins(newbie) }));
    expect(linked.IdentityId).toBe(b.IdentityId);
    expect(verifyTemporaryCredentials(t.corral.app, linked.Credentials!.AccessKeyId!, linked.Credentials!.SessionToken)?.roleArn).toBe(AUTH_ROLE);
    expect((await pub.send(new GetIdCommand({ IdentityPoolId: guestPool, Logins: logins(newbie) }))).IdentityId).toBe(b.IdentityId);

    // Turning guests off refuses the existing guest identity too.
    await t.corral.identity.send(
      new UpdateIdentityPoolCommand({
        IdentityPoolId: guestPool,
        IdentityPoolName: 'guests',
        AllowUnauthenticatedIdentities: false,
        CognitoIdentityProviders: [{ ProviderName: providerName(seed.poolId), ClientId: seed.clientId }],
      }),
    );
    e = await fail(pub.send(new GetCredentialsForIdentityCommand({ IdentityId: a.IdentityId })));
    expect(e).toMatchObject({ name: 'NotAuthorizedException', message: 'Unauthenticated access is not supported for this identity pool.' });

    e = await fail(pub.send(new GetCredentialsForIdentityCommand({ IdentityId: 'us-east-1:00000000-0000-0000-0000-000000000000' })));
    expect(e).toMatchObject({ name: 'ResourceNotFoundException', message: "Identity 'us-east-1:00000000-0000-0000-0000-000000000000' not found." });
  });

  it('role mappings: Token (groups’ roles, CustomRoleArn, Deny) and Rules (first match wins, Deny)', async () => {
    const key = `${providerName(seed.poolId)}:${seed.clientId}`;
    await t.corral.idp.send(new CreateGroupCommand({ UserPoolId: seed.poolId, GroupName: 'admins', RoleArn: ADMIN_ROLE, Precedence: 1 }));
    await t.corral.idp.send(new CreateGroupCommand({ UserPoolId: seed.poolId, GroupName: 'country', RoleArn: COUNTRY_ROLE, Precedence: 2 }));
    await signUpConfirmed(t.corral, seed, 'boss', PASSWORD, { email: 'boss@example.com' });
    await t.corral.idp.send(new AdminAddUserToGroupCommand({ UserPoolId: seed.poolId, Username: 'boss', GroupName: 'admins' }));
    await t.corral.idp.send(new AdminAddUserToGroupCommand({ UserPoolId: seed.poolId, Username: 'boss', GroupName: 'country' }));
    const boss = await srpIdToken(t.pub, seed, 'boss', PASSWORD);
    const { IdentityId: bossId } = await pub.send(new GetIdCommand({ IdentityPoolId: poolId, Logins: logins(boss) }));
    const { IdentityId: riderId } = await pub.send(new GetIdCommand({ IdentityPoolId: poolId, Logins: logins() }));
    const roleOf = async (IdentityId: string, token: string, CustomRoleArn?: string) => {
      const r = await pub.send(new GetCredentialsForIdentityCommand({ IdentityId, Logins: logins(token), CustomRoleArn }));
      return verifyTemporaryCredentials(t.corral.app, r.Credentials!.AccessKeyId!, r.Credentials!.SessionToken)!.roleArn;
    };
    const setMapping = (mapping: RoleMapping) =>
      t.corral.identity.send(
        new SetIdentityPoolRolesCommand({
          IdentityPoolId: poolId,
          Roles: { authenticated: AUTH_ROLE, unauthenticated: UNAUTH_ROLE },
          RoleMappings: { [key]: mapping },
        }),
      );

    await setMapping({ Type: 'Token', AmbiguousRoleResolution: 'Deny' });
    expect(await roleOf(bossId!, boss)).toBe(ADMIN_ROLE); // cognito:preferred_role (lowest precedence)
    expect(await roleOf(bossId!, boss, COUNTRY_ROLE)).toBe(COUNTRY_ROLE); // CustomRoleArn among cognito:roles
    expect(await roleOf(bossId!, boss, EXAMPLE_ROLE)).toBe(ADMIN_ROLE); // not among them: the preferred role
    const e = await fail(roleOf(riderId!, idToken));
    expect(e).toMatchObject({ name: 'NotAuthorizedException', message: 'The ambiguous role mapping rules denied this request.' });
    await setMapping({ Type: 'Token', AmbiguousRoleResolution: 'AuthenticatedRole' });
    expect(await roleOf(riderId!, idToken)).toBe(AUTH_ROLE);

    await setMapping({
      Type: 'Rules',
      AmbiguousRoleResolution: 'Deny',
      RulesConfiguration: {
        Rules: [
          { Claim: 'cognito:groups', MatchType: 'Equals', Value: 'admins', RoleARN: ADMIN_ROLE },
          { Claim: 'custom:genre', MatchType: 'Equals', Value: 'Country', RoleARN: COUNTRY_ROLE },
          { Claim: 'email', MatchType: 'Contains', Value: '@example.com', RoleARN: EXAMPLE_ROLE },
        ],
      },
    });
    expect(await roleOf(bossId!, boss)).toBe(ADMIN_ROLE);
    expect(await roleOf(riderId!, idToken)).toBe(COUNTRY_ROLE); // rider1 also matches rule 3: the first match wins
    await setMapping({
      Type: 'Rules',
      AmbiguousRoleResolution: 'Deny',
      RulesConfiguration: {
        Rules: [
          { Claim: 'email', MatchType: 'StartsWith', Value: 'boss@', RoleARN: ADMIN_ROLE },
          { Claim: 'custom:genre', MatchType: 'NotEqual', Value: 'Country', RoleARN: EXAMPLE_ROLE },
        ],
      },
    });
    expect(await roleOf(bossId!, boss)).toBe(ADMIN_ROLE);
    expect(await fail(roleOf(riderId!, idToken))).toMatchObject({
      name: 'NotAuthorizedException',
      message: 'The ambiguous role mapping rules denied this request.',
    });
    await setMapping({
      Type: 'Rules',
      AmbiguousRoleResolution: 'AuthenticatedRole',
      RulesConfiguration: { Rules: [{ Claim: 'nope', MatchType: 'NotEqual', Value: 'x', RoleARN: EXAMPLE_ROLE }] },
    });
    expect(await roleOf(riderId!, idToken)).toBe(AUTH_ROLE); // an absent claim matches no rule, NotEqual included
  });

  it('SetIdentityPoolRoles: at most 25 rules per provider, AmbiguousRoleResolution required', async () => {
    const key = `${providerName(seed.poolId)}:${seed.clientId}`;
    const rule = { Claim: 'email', MatchType: 'Equals' as const, Value: 'x', RoleARN: EXAMPLE_ROLE };
    const set = (mapping: object) =>
      t.corral.identity.send(
        new SetIdentityPoolRolesCommand({ IdentityPoolId: poolId, Roles: { authenticated: AUTH_ROLE }, RoleMappings: { [key]: mapping as never } }),
      );
    await expect(set({ Type: 'Rules', AmbiguousRoleResolution: 'Deny', RulesConfiguration: { Rules: Array(26).fill(rule) } })).rejects.toMatchObject({
      name: 'InvalidParameterException',
    });
    await expect(set({ Type: 'Token' })).rejects.toMatchObject({ name: 'InvalidParameterException' });
    await set({ Type: 'Rules', AmbiguousRoleResolution: 'Deny', RulesConfiguration: { Rules: Array(25).fill(rule) } });
    await t.corral.identity.send(
      new SetIdentityPoolRolesCommand({ IdentityPoolId: poolId, Roles: { authenticated: AUTH_ROLE, unauthenticated: UNAUTH_ROLE } }),
    );
  });

  it('ListIdentities pages, DescribeIdentity, UnlinkIdentity and DeleteIdentities', async () => {
    const listPool = await createIdentityPoolFor(t.corral, seed, { IdentityPoolName: 'listing', AllowUnauthenticatedIdentities: true });
    await expect(t.corral.identity.send(new ListIdentitiesCommand({ IdentityPoolId: listPool } as never))).rejects.toMatchObject({
      name: 'ValidationException',
    });
    const guests = await Promise.all([1, 2, 3].map(() => pub.send(new GetIdCommand({ IdentityPoolId: listPool }))));
    const { IdentityId: riderId } = await pub.send(new GetIdCommand({ IdentityPoolId: listPool, Logins: logins() }));
    const seen: string[] = [];
    let NextToken: string | undefined;
    do {
      const page = await t.corral.identity.send(new ListIdentitiesCommand({ IdentityPoolId: listPool, MaxResults: 3, NextToken }));
      expect(page.IdentityPoolId).toBe(listPool);
      expect(page.Identities!.length).toBeLessThanOrEqual(3);
      for (const i of page.Identities!) {
        expect(i.CreationDate).toBeInstanceOf(Date);
        expect(i.Logins).toEqual(i.IdentityId === riderId ? [providerName(seed.poolId)] : []);
      }
      seen.push(...page.Identities!.map((i) => i.IdentityId!));
      NextToken = page.NextToken;
    } while (NextToken);
    expect(seen.sort()).toEqual([...guests.map((g) => g.IdentityId!), riderId!].sort());

    // Unlinking the user pool login orphans the identity: the next GetId makes a new one.
    const unsigned = await fail(pub.send(new UnlinkIdentityCommand({ IdentityId: riderId, Logins: {}, LoginsToRemove: [providerName(seed.poolId)] })));
    expect(unsigned).toMatchObject({ name: 'NotAuthorizedException' });
    await pub.send(new UnlinkIdentityCommand({ IdentityId: riderId, Logins: logins(), LoginsToRemove: [providerName(seed.poolId)] }));
    expect((await t.corral.identity.send(new DescribeIdentityCommand({ IdentityId: riderId }))).Logins).toEqual([]);
    const { IdentityId: fresh } = await pub.send(new GetIdCommand({ IdentityPoolId: listPool, Logins: logins() }));
    expect(fresh).not.toBe(riderId);

    const deleted = await t.corral.identity.send(new DeleteIdentitiesCommand({ IdentityIdsToDelete: [fresh!, guests[0]!.IdentityId!] }));
    expect(deleted.UnprocessedIdentityIds).toEqual([]);
    const gone = await fail(t.corral.identity.send(new DescribeIdentityCommand({ IdentityId: fresh })));
    expect(gone).toMatchObject({ name: 'ResourceNotFoundException', message: `Identity '${fresh}' not found.` });
    const { IdentityId: last } = await pub.send(new GetIdCommand({ IdentityPoolId: listPool, Logins: logins() }));
    expect(last).not.toBe(fresh);

    // Deleting the identity pool deletes its identities.
    await t.corral.identity.send(new DeleteIdentityPoolCommand({ IdentityPoolId: listPool }));
    expect(await fail(t.corral.identity.send(new DescribeIdentityCommand({ IdentityId: last })))).toMatchObject({ name: 'ResourceNotFoundException' });
    expect(await t.corral.app.db.selectFrom('identity_logins').select('identity_id').where('pool_id', '=', listPool).execute()).toEqual([]);
  });
});
