// Configuration as code, both ways, over real HTTP: resources built through the API on one Corral, `corral export`
// (the CLI as a process) written to a file, `corral apply` of that file to an empty second Corral → the same
// DescribeUserPool / DescribeUserPoolClient / DescribeIdentityPool / GetIdentityPoolRoles answers (ids, ARNs, dates,
// secrets and counts aside). Then a changed file re-applied changes exactly that; a wrong key pair is refused.
// Run `npm run build -w corral` first (the CLI is dist/cli.js).
import {
  AddCustomAttributesCommand,
  type CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  CreateUserPoolDomainCommand,
  DescribeUserPoolClientCommand,
  DescribeUserPoolCommand,
  GetUserPoolMfaConfigCommand,
  ListUserPoolClientsCommand,
  ListUserPoolsCommand,
  SetUserPoolMfaConfigCommand,
  SignUpCommand,
  TagResourceCommand,
  type UserPoolClientType,
  type UserPoolType,
} from '@aws-sdk/client-cognito-identity-provider';
import {
  type CognitoIdentityClient,
  CreateIdentityPoolCommand,
  DescribeIdentityPoolCommand,
  GetIdentityPoolRolesCommand,
  ListIdentityPoolsCommand,
  SetIdentityPoolRolesCommand,
} from '@aws-sdk/client-cognito-identity';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { startTestCorral, TEST_CREDENTIALS, type TestCorral } from '../support/corral.js';

const dir = mkdtempSync(join(tmpdir(), 'corral-cac-'));
const CREDS = { AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey };
const url = (c: TestCorral) => c.url.replace('localhost', '127.0.0.1');

/** Runs the CLI from a directory with no data dir of its own (credentials come from `env`). */
async function cli(args: string[], env: Record<string, string> = CREDS): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const p = runCli(args, env, dir);
  const code = await p.exited;
  return { code, stdout: p.stdout(), stderr: p.stderr() };
}

const ROLE = (name: string) => `arn:aws:iam::000000000000:role/${name}`;

/** Builds, through the API, what the walkthrough's console steps build, plus a pool that uses the other settings. */
async function build(c: TestCorral): Promise<void> {
  const wild = (
    await c.idp.send(
      new CreateUserPoolCommand({
        PoolName: 'WildRydes',
        AliasAttributes: ['email', 'phone_number'],
        AutoVerifiedAttributes: ['email'],
        Schema: [{ Name: 'genre', AttributeDataType: 'String', Mutable: true }],
        MfaConfiguration: 'OFF',
      }),
    )
  ).UserPool!.Id!;
  const web = (
    await c.idp.send(
      new CreateUserPoolClientCommand({
        UserPoolId: wild,
        ClientName: 'wildrydes-web-app',
        GenerateSecret: false,
        ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
        PreventUserExistenceErrors: 'ENABLED',
      }),
    )
  ).UserPoolClient!.ClientId!;
  await c.idp.send(
    new CreateUserPoolClientCommand({
      UserPoolId: wild,
      ClientName: 'wildrydes-backend',
      GenerateSecret: true,
      ExplicitAuthFlows: ['ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      ReadAttributes: ['email', 'custom:genre', 'name'],
      AccessTokenValidity: 30,
      IdTokenValidity: 30,
      TokenValidityUnits: { AccessToken: 'minutes', IdToken: 'minutes' },
    }),
  );
  // A custom attribute added after creation (the console's "Add custom attributes").
  await c.idp.send(new AddCustomAttributesCommand({ UserPoolId: wild, CustomAttributes: [{ Name: 'rides', AttributeDataType: 'Number', Mutable: true }] }));

  const partners = (
    await c.idp.send(
      new CreateUserPoolCommand({
        PoolName: 'Partners',
        UsernameAttributes: ['email'],
        UsernameConfiguration: { CaseSensitive: false },
        AutoVerifiedAttributes: ['email', 'phone_number'],
        Schema: [
          { Name: 'email', AttributeDataType: 'String', Required: true, Mutable: true },
          { Name: 'tier', AttributeDataType: 'Number', Mutable: false, NumberAttributeConstraints: { MinValue: '0', MaxValue: '10' } },
          { Name: 'secret_note', AttributeDataType: 'String', DeveloperOnlyAttribute: true, StringAttributeConstraints: { MaxLength: '64' } },
        ],
        Policies: {
          PasswordPolicy: {
            MinimumLength: 10,
            RequireUppercase: true,
            RequireLowercase: true,
            RequireNumbers: true,
            RequireSymbols: false,
            PasswordHistorySize: 3,
          },
        },
        MfaConfiguration: 'OPTIONAL',
        SmsConfiguration: { SnsCallerArn: ROLE('partners-sms'), ExternalId: 'partners' },
        SmsAuthenticationMessage: 'Your Partners code is {####}',
        LambdaConfig: { PreSignUp: 'arn:aws:lambda:us-east-1:000000000000:function:partners-pre-signup' },
        DeviceConfiguration: { ChallengeRequiredOnNewDevice: true, DeviceOnlyRememberedOnUserPrompt: true },
        VerificationMessageTemplate: { EmailSubject: 'Partners code', EmailMessage: 'Your code is {####}', DefaultEmailOption: 'CONFIRM_WITH_CODE' },
        AdminCreateUserConfig: {
          AllowAdminCreateUserOnly: true,
          UnusedAccountValidityDays: 3,
          InviteMessageTemplate: { EmailSubject: 'Welcome', EmailMessage: 'Hi {username}, {####}' },
        },
        AccountRecoverySetting: { RecoveryMechanisms: [{ Name: 'verified_email', Priority: 1 }] },
        UserPoolTags: { team: 'partners' },
        DeletionProtection: 'ACTIVE',
      }),
    )
  ).UserPool!;
  await c.idp.send(new TagResourceCommand({ ResourceArn: partners.Arn!, Tags: { env: 'test' } }));
  // A prefix domain (the console's "Domain name"): DescribeUserPool shows it; CreateUserPool cannot set it.
  await c.idp.send(new CreateUserPoolDomainCommand({ UserPoolId: partners.Id!, Domain: 'partners-rides' }));
  // TOTP as well as SMS: a factor DescribeUserPool does not show.
  await c.idp.send(
    new SetUserPoolMfaConfigCommand({
      UserPoolId: partners.Id!,
      MfaConfiguration: 'OPTIONAL',
      SmsMfaConfiguration: { SmsAuthenticationMessage: 'Your Partners code is {####}', SmsConfiguration: partners.SmsConfiguration },
      SoftwareTokenMfaConfiguration: { Enabled: true },
    }),
  );
  const partnersApp = (
    await c.idp.send(
      new CreateUserPoolClientCommand({
        UserPoolId: partners.Id!,
        ClientName: 'partners-app',
        GenerateSecret: true,
        AllowedOAuthFlowsUserPoolClient: true,
        AllowedOAuthFlows: ['code'],
        AllowedOAuthScopes: ['openid', 'email'],
        CallbackURLs: ['https://partners.example.com/callback', 'http://localhost:3000/callback'],
        LogoutURLs: ['https://partners.example.com/'],
        SupportedIdentityProviders: ['COGNITO'],
      }),
    )
  ).UserPoolClient!.ClientId!;

  const provider = (poolId: string) => `cognito-idp.us-east-1.amazonaws.com/${poolId}`;
  const ids = await c.identity.send(
    new CreateIdentityPoolCommand({
      IdentityPoolName: 'wildrydes_identity_pool',
      AllowUnauthenticatedIdentities: false,
      CognitoIdentityProviders: [{ ProviderName: provider(wild), ClientId: web }],
    }),
  );
  await c.identity.send(
    new SetIdentityPoolRolesCommand({
      IdentityPoolId: ids.IdentityPoolId!,
      Roles: { authenticated: ROLE('Cognito_wildrydes_identity_poolAuth_Role'), unauthenticated: ROLE('Cognito_wildrydes_identity_poolUnauth_Role') },
      RoleMappings: { [`${provider(wild)}:${web}`]: { Type: 'Token', AmbiguousRoleResolution: 'AuthenticatedRole' } },
    }),
  );
  const other = await c.identity.send(
    new CreateIdentityPoolCommand({
      IdentityPoolName: 'partners_identities',
      AllowUnauthenticatedIdentities: true,
      DeveloperProviderName: 'login.partners',
      SupportedLoginProviders: { 'accounts.google.com': 'partners.apps.googleusercontent.com' },
      CognitoIdentityProviders: [
        { ProviderName: provider(partners.Id!), ClientId: partnersApp, ServerSideTokenCheck: true },
        // A provider outside this Corral's pools stays as the API names it.
        { ProviderName: 'cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Elsewhere', ClientId: 'elsewhereclient' },
      ],
      IdentityPoolTags: { team: 'partners' },
    }),
  );
  await c.identity.send(new SetIdentityPoolRolesCommand({ IdentityPoolId: other.IdentityPoolId!, Roles: { unauthenticated: ROLE('partners-guest') } }));
}

interface Snapshot {
  pools: Record<string, { pool: UserPoolType; mfa: unknown; clients: Record<string, UserPoolClientType & { hasSecret: boolean }> }>;
  identityPools: Record<string, unknown>;
  /** Ids by name, to see that nothing was re-created. */
  ids: Record<string, string>;
}

/** Everything the Describe and Get calls answer, by name, with ids, ARNs, dates, secrets and counts put aside (ids in
 *  identity-pool providers and role-mapping keys replaced by the names they stand for). */
async function snapshot(idp: CognitoIdentityProviderClient, identity: CognitoIdentityClient): Promise<Snapshot> {
  const out: Snapshot = { pools: {}, identityPools: {}, ids: {} };
  const names = new Map<string, string>();
  for (const summary of (await idp.send(new ListUserPoolsCommand({ MaxResults: 60 }))).UserPools ?? []) {
    const {
      Id,
      Arn,
      CreationDate: _c,
      LastModifiedDate: _m,
      EstimatedNumberOfUsers: _n,
      ...pool
    } = (await idp.send(new DescribeUserPoolCommand({ UserPoolId: summary.Id }))).UserPool!;
    expect(Arn).toContain(Id);
    out.ids[pool.Name!] = Id!;
    const mfa = await idp.send(new GetUserPoolMfaConfigCommand({ UserPoolId: Id }));
    const clients: Snapshot['pools'][string]['clients'] = {};
    for (const c of (await idp.send(new ListUserPoolClientsCommand({ UserPoolId: Id }))).UserPoolClients ?? []) {
      const {
        ClientId,
        UserPoolId: _p,
        ClientSecret,
        CreationDate: _cd,
        LastModifiedDate: _lm,
        ...client
      } = (await idp.send(new DescribeUserPoolClientCommand({ UserPoolId: Id, ClientId: c.ClientId }))).UserPoolClient!;
      clients[client.ClientName!] = { ...client, hasSecret: !!ClientSecret };
      out.ids[`${pool.Name}/${client.ClientName}`] = ClientId!;
      names.set(ClientId!, client.ClientName!);
    }
    names.set(Id!, pool.Name!);
    const { $metadata: _meta, ...mfaConfig } = mfa;
    out.pools[pool.Name!] = { pool, mfa: mfaConfig, clients };
  }
  const named = (s: string) => s.replace(/[\w-]+_[0-9a-zA-Z]+|[a-z0-9]{26}/g, (id) => (names.has(id) ? `<${names.get(id)}>` : id));
  for (const summary of (await identity.send(new ListIdentityPoolsCommand({ MaxResults: 60 }))).IdentityPools ?? []) {
    const {
      IdentityPoolId,
      $metadata: _m,
      CognitoIdentityProviders,
      ...pool
    } = await identity.send(new DescribeIdentityPoolCommand({ IdentityPoolId: summary.IdentityPoolId }));
    const { IdentityPoolId: _id, $metadata: _m2, RoleMappings, ...roles } = await identity.send(new GetIdentityPoolRolesCommand({ IdentityPoolId }));
    out.ids[pool.IdentityPoolName!] = IdentityPoolId!;
    out.identityPools[pool.IdentityPoolName!] = {
      ...pool,
      CognitoIdentityProviders: CognitoIdentityProviders?.map((p) => ({ ...p, ProviderName: named(p.ProviderName!), ClientId: named(p.ClientId!) })),
      roles,
      RoleMappings: Object.fromEntries(Object.entries(RoleMappings ?? {}).map(([k, v]) => [named(k), v])),
    };
  }
  return out;
}

describe('corral export → corral apply to an empty Corral', () => {
  let one: TestCorral;
  let two: TestCorral;
  let file: string;
  let built: Snapshot;
  let exportRun: Awaited<ReturnType<typeof cli>>;
  afterAll(async () => {
    await one?.stop();
    await two?.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  beforeAll(async () => {
    [one, two] = await Promise.all([startTestCorral(), startTestCorral()]);
    await build(one);
    built = await snapshot(one.idp, one.identity);
    file = join(dir, 'exported.json');
    exportRun = await cli(['export', '--endpoint', url(one), '--out', file]);
  });

  it('exports every resource as a configuration file, no secret in it', async () => {
    const r = exportRun;
    expect(r.stderr).toMatch(/wrote .*exported\.json: 2 user pool\(s\), 3 app client\(s\), 2 identity pool\(s\)/);
    expect(r.code).toBe(0);
    const text = readFileSync(file, 'utf8');
    const exported = JSON.parse(text);
    expect(exported.description).toMatch(new RegExp(`^Exported by corral export from ${url(one).replace(/[.]/g, '\\.')} at \\d{4}-\\d\\d-\\d\\dT`));
    expect(exported.userPools.map((p: { PoolName: string }) => p.PoolName)).toEqual(['Partners', 'WildRydes']);
    const wild = exported.userPools[1];
    // The walkthrough's pool reads as one would write it: the custom attributes only, no ids.
    expect(wild.Schema).toEqual([
      { Name: 'genre', AttributeDataType: 'String', Mutable: true },
      { Name: 'rides', AttributeDataType: 'Number', Mutable: true },
    ]);
    expect(wild).not.toHaveProperty('Id');
    expect(wild).not.toHaveProperty('Arn');
    expect(wild).not.toHaveProperty('EstimatedNumberOfUsers');
    expect(wild).not.toHaveProperty('Domain');
    expect(exported.userPools[0]).toMatchObject({
      Domain: 'partners-rides',
      LambdaConfig: { PreSignUp: 'arn:aws:lambda:us-east-1:000000000000:function:partners-pre-signup' },
    });
    expect(wild.Clients.map((c: { ClientName: string; GenerateSecret: boolean }) => [c.ClientName, c.GenerateSecret])).toEqual([
      ['wildrydes-backend', true],
      ['wildrydes-web-app', false],
    ]);
    for (const pool of Object.values(built.pools)) for (const c of Object.keys(pool.clients)) expect(text).not.toContain(built.ids[`${pool.pool.Name}/${c}`]);
    const secrets = await Promise.all(
      ['WildRydes/wildrydes-backend', 'Partners/partners-app'].map(async (k) => {
        const pool = k.split('/')[0]!;
        return (await one.idp.send(new DescribeUserPoolClientCommand({ UserPoolId: built.ids[pool], ClientId: built.ids[k] }))).UserPoolClient!.ClientSecret!;
      }),
    );
    for (const s of secrets) expect(text).not.toContain(s);
    // Identity-pool providers by name when they are exported pools; as the API names them otherwise.
    const partnersIds = exported.identityPools.find((p: { IdentityPoolName: string }) => p.IdentityPoolName === 'partners_identities');
    expect(partnersIds.CognitoIdentityProviders).toEqual([
      { UserPool: 'Partners', Client: 'partners-app', ServerSideTokenCheck: true },
      { ProviderName: 'cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Elsewhere', ClientId: 'elsewhereclient', ServerSideTokenCheck: false },
    ]);
    const wildIds = exported.identityPools.find((p: { IdentityPoolName: string }) => p.IdentityPoolName === 'wildrydes_identity_pool');
    expect(wildIds.RoleMappings).toEqual({ 'WildRydes/wildrydes-web-app': { AmbiguousRoleResolution: 'AuthenticatedRole', Type: 'Token' } });
  });

  it('applied to an empty Corral, yields the same Describe answers', async () => {
    const r = await cli(['apply', file, '--endpoint', url(two)]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/created user pool WildRydes \(us-east-1_\w+\)/);
    expect(r.stdout).toMatch(/created app client wildrydes-backend of user pool WildRydes \([a-z0-9]{26}\)/);
    expect(r.stdout).toMatch(/created identity pool partners_identities \(us-east-1:[0-9a-f-]{36}\)/);
    const applied = await snapshot(two.idp, two.identity);
    expect(applied.pools).toEqual(built.pools);
    expect(applied.identityPools).toEqual(built.identityPools);
    // New resources (new ids), listed by /_corral/resources the moment they exist.
    expect(applied.ids.WildRydes).not.toBe(built.ids.WildRydes);
    const listed = (await (await fetch(`${url(two)}/_corral/resources`)).json()) as {
      userPools: { name: string; id: string; clients: { name: string; id: string }[] }[];
      identityPools: { name: string; id: string }[];
    };
    const wild = listed.userPools.find((p) => p.name === 'WildRydes')!;
    expect(wild.id).toBe(applied.ids.WildRydes);
    expect(wild.clients.find((c) => c.name === 'wildrydes-web-app')!.id).toBe(applied.ids['WildRydes/wildrydes-web-app']);
    expect(listed.identityPools.find((p) => p.name === 'wildrydes_identity_pool')!.id).toBe(applied.ids.wildrydes_identity_pool);

    // Applying it again changes nothing; exporting #2 gives the file back.
    const again = await cli(['apply', file, '--endpoint', url(two)]);
    expect(again.stdout).toContain('no changes: the resources match the file');
    expect((await snapshot(two.idp, two.identity)).ids).toEqual(applied.ids);
    const back = join(dir, 'back.json');
    expect((await cli(['export', '--endpoint', url(two), '--out', back])).code).toBe(0);
    const strip = (f: string) => ({ ...JSON.parse(readFileSync(f, 'utf8')), description: '' });
    expect(strip(back)).toEqual(strip(file));
  });

  it('a changed PasswordPolicy.MinimumLength re-applied changes the running pool, and nothing else', async () => {
    const before = await snapshot(two.idp, two.identity);
    const exported = JSON.parse(readFileSync(file, 'utf8'));
    const wild = exported.userPools.find((p: { PoolName: string }) => p.PoolName === 'WildRydes');
    expect(wild.Policies.PasswordPolicy.MinimumLength).toBe(8);
    wild.Policies.PasswordPolicy.MinimumLength = 12;
    const changed = join(dir, 'changed.json');
    writeFileSync(changed, JSON.stringify(exported, null, 2));

    const dry = await cli(['apply', changed, '--endpoint', url(two), '--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('would update user pool WildRydes: Policies.PasswordPolicy.MinimumLength 8 → 12');
    expect((await snapshot(two.idp, two.identity)).pools.WildRydes!.pool.Policies!.PasswordPolicy!.MinimumLength).toBe(8);

    const r = await cli(['apply', changed, '--endpoint', url(two)]);
    expect(r.code).toBe(0);
    const changes = r.stdout.split('\n').filter((l) => /^\s+(created|updated|deleted) /.test(l));
    expect(changes).toEqual(['  updated user pool WildRydes: Policies.PasswordPolicy.MinimumLength 8 → 12']);

    const after = await snapshot(two.idp, two.identity);
    expect(after.pools.WildRydes!.pool.Policies!.PasswordPolicy!.MinimumLength).toBe(12);
    after.pools.WildRydes!.pool.Policies!.PasswordPolicy!.MinimumLength = 8;
    expect(after).toEqual(before);

    const signUp = (Password: string, Username: string) =>
      two.idp.send(
        new SignUpCommand({
          ClientId: after.ids['WildRydes/wildrydes-web-app'],
          Username,
          Password,
          UserAttributes: [{ Name: 'email', Value: `${Username}@example.com` }],
        }),
      );
    await expect(signUp('Short1!abcd', 'rider-short')).rejects.toMatchObject({ name: 'InvalidPasswordException' });
    await expect(signUp('Long-enough1!', 'rider-long')).resolves.toMatchObject({ UserConfirmed: false });
  });

  it('refuses a change AWS cannot make in place, naming it, and changes nothing', async () => {
    const before = await snapshot(two.idp, two.identity);
    const exported = JSON.parse(readFileSync(file, 'utf8'));
    const wild = exported.userPools.find((p: { PoolName: string }) => p.PoolName === 'WildRydes');
    wild.AliasAttributes = ['email'];
    wild.Policies.PasswordPolicy.MinimumLength = 20;
    const bad = join(dir, 'aliases.json');
    writeFileSync(bad, JSON.stringify(exported));
    const r = await cli(['apply', bad, '--endpoint', url(two)]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('cannot be applied');
    expect(r.stderr).toContain(
      'user pool WildRydes: AliasAttributes cannot be changed after the pool is created (AWS: "To change user pool sign-in options, create a new user pool."); delete and re-create the pool, or put back ["email","phone_number"]',
    );
    expect(r.stdout).not.toMatch(/updated/);
    expect(await snapshot(two.idp, two.identity)).toEqual(before);

    // A Delete the API would refuse (deletion protection) is refused before anything else is done too.
    const protectedPool = join(dir, 'delete-protected.json');
    writeFileSync(protectedPool, JSON.stringify({ userPools: [{ PoolName: 'Fresh' }, { PoolName: 'Partners', Delete: true }] }));
    const del = await cli(['apply', protectedPool, '--endpoint', url(two)]);
    expect(del.code).toBe(1);
    expect(del.stderr).toContain('user pool Partners: Delete is refused while its DeletionProtection is ACTIVE');
    expect(await snapshot(two.idp, two.identity)).toEqual(before);
  });

  it('refuses a key pair that is not the server’s with a clear error and exit 1', async () => {
    const wrongSecret = await cli(['apply', file, '--endpoint', url(two)], { ...CREDS, AWS_SECRET_ACCESS_KEY: 'not-the-secret' });
    expect(wrongSecret.code).toBe(1);
    expect(wrongSecret.stderr).toMatch(
      /refused the admin credentials from AWS_ACCESS_KEY_ID\/AWS_SECRET_ACCESS_KEY: InvalidSignatureException: The request signature/,
    );
    expect(wrongSecret.stderr).not.toMatch(/\n\s+at /); // a sentence, not a stack
    const unknownKey = await cli(['export', '--endpoint', url(two)], { CORRAL_ACCESS_KEY_ID: 'AKIANOTTHESERVERS000', CORRAL_SECRET_ACCESS_KEY: 'x' });
    expect(unknownKey.code).toBe(1);
    expect(unknownKey.stderr).toMatch(/refused the admin credentials from CORRAL_ACCESS_KEY_ID\/CORRAL_SECRET_ACCESS_KEY: UnrecognizedClientException/);
    const none = await cli(['export', '--endpoint', url(two)], {});
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/^no admin credentials: set AWS_ACCESS_KEY_ID/);
  });

  it('export --pool writes that pool, its clients and the identity pools that use it', async () => {
    const r = await cli(['export', '--pool', 'Partners', '--endpoint', url(one)]);
    expect(r.code).toBe(0);
    const exported = JSON.parse(r.stdout);
    expect(exported.userPools.map((p: { PoolName: string }) => p.PoolName)).toEqual(['Partners']);
    expect(exported.identityPools.map((p: { IdentityPoolName: string }) => p.IdentityPoolName)).toEqual(['partners_identities']);
    expect(exported.userPools[0].MfaConfig).toMatchObject({ MfaConfiguration: 'OPTIONAL', SoftwareTokenMfaConfiguration: { Enabled: true } });
    const missing = await cli(['export', '--pool', 'Nope', '--endpoint', url(one)]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('there is no user pool named Nope (there are: WildRydes, Partners)');
  });

  it('says that functions are read at start', async () => {
    const withFunctions = join(dir, 'functions.json');
    writeFileSync(withFunctions, JSON.stringify({ functions: { f: { module: './f.mjs' } }, userPools: [] }));
    const r = await cli(['apply', withFunctions, '--endpoint', url(two)]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('functions: read at start — restart Corral to change them');
  });
});
