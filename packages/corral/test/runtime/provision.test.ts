// Provisioning from a file at start, on both databases: the repo's corral.config.json, idempotent by name; and
// reconciliation (a changed file updates what it names, a change AWS cannot make in place stops the start before
// anything changes, `"Delete": true` deletes, a resource left out of the file stays).
import {
  CreateUserPoolCommand,
  DescribeUserPoolDomainCommand,
  DescribeUserPoolClientCommand,
  DescribeUserPoolCommand,
  GetUserPoolMfaConfigCommand,
  ListTagsForResourceCommand,
  ListUserPoolClientsCommand,
  ListUserPoolsCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { DescribeIdentityPoolCommand, GetIdentityPoolRolesCommand, ListIdentityPoolsCommand } from '@aws-sdk/client-cognito-identity';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCorral } from '../../src/runtime/app.js';
import { configFromEnv } from '../../src/runtime/config.js';
import { provision, ProvisionFileSchema, readProvisionFile } from '../../src/runtime/provision.js';
import { describeEachBackend, POSTGRES_URL, startTestCorral, TEST_CREDENTIALS } from '../support/corral.js';
import { REPO_ROOT } from '../support/cli.js';

const REPO_CONFIG = join(REPO_ROOT, 'corral.config.json');

describeEachBackend('provisioning at start', (backend) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'corral-prov-'));
  const schema = `t_${randomBytes(6).toString('hex')}`;
  afterAll(async () => {
    rmSync(dataDir, { recursive: true, force: true });
    if (backend === 'postgres') {
      const c = new pg.Client({ connectionString: POSTGRES_URL });
      await c.connect();
      await c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await c.end();
    }
  });

  it('creates the declared resources once; a restart finds them by name and keeps their ids', async () => {
    const first = await startTestCorral({ backend, dataDir, schema, provisionFile: REPO_CONFIG });
    const resources = first.resources!;
    await first.stop();
    const second = await startTestCorral({ backend, dataDir, schema, provisionFile: REPO_CONFIG });
    try {
      expect({ ...second.resources!, endpoint: '' }).toEqual({ ...resources, endpoint: '' });
      const pools = await second.idp.send(new ListUserPoolsCommand({ MaxResults: 60 }));
      expect(pools.UserPools!.map((p) => p.Name)).toEqual(['WildRydes']);
      const clients = await second.idp.send(new ListUserPoolClientsCommand({ UserPoolId: resources.userPools[0]!.id }));
      expect(clients.UserPoolClients!.map((c) => c.ClientName)).toEqual(['wildrydes-web-app']);
      const identityPools = await second.identity.send(new ListIdentityPoolsCommand({ MaxResults: 60 }));
      expect(identityPools.IdentityPools!.map((p) => p.IdentityPoolName)).toEqual(['wildrydes_identity_pool']);
    } finally {
      await second.stop();
    }
  });

  it('refuses a declaration the API would refuse, with the API error', async () => {
    const file = join(dataDir, 'bad-api.json');
    writeFileSync(file, JSON.stringify({ userPools: [{ PoolName: 'Bad', MfaConfiguration: 'MAYBE' }] }));
    await expect(startTestCorral({ backend, provisionFile: file })).rejects.toThrow(
      /provisioning refused the configuration \(nothing was changed\):\n {2}- user pool Bad: InvalidParameterException: 1 validation error detected: Value 'MAYBE' at 'mfaConfiguration'/,
    );
  });

  it('checks the whole file before creating anything: a bad second pool stops the first one too', async () => {
    const file = join(dataDir, 'bad-second.json');
    writeFileSync(
      file,
      JSON.stringify({
        userPools: [
          { PoolName: 'Good', Clients: [{ ClientName: 'web' }] },
          { PoolName: 'Bad', Clients: [{ ClientName: 'web', ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH'] }], AliasAtributes: ['email'] },
        ],
      }),
    );
    const dir = mkdtempSync(join(tmpdir(), 'corral-prov-bad-'));
    try {
      const err = await startTestCorral({ backend, dataDir: dir, provisionFile: file }).then(
        () => undefined,
        (e: Error) => e,
      );
      expect(err?.message).toContain('user pool Bad: unknown member AliasAtributes');
      expect(err?.message).toContain('app client web of user pool Bad: InvalidParameterException: REFRESH_TOKEN_AUTH should always be allowed.');
      const after = await startTestCorral({ backend, dataDir: dir });
      try {
        expect((await after.idp.send(new ListUserPoolsCommand({ MaxResults: 60 }))).UserPools).toEqual([]);
      } finally {
        await after.stop();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses an identity pool naming an undeclared user pool client', async () => {
    const file = join(dataDir, 'bad-ref.json');
    writeFileSync(file, JSON.stringify({ identityPools: [{ IdentityPoolName: 'x', CognitoIdentityProviders: [{ UserPool: 'Nope', Client: 'none' }] }] }));
    await expect(startTestCorral({ backend, provisionFile: file })).rejects.toThrow(/Nope\/none, which is not declared in userPools/);
  });
});

describeEachBackend('reconciling at start', (backend) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'corral-reconcile-'));
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const file = join(dataDir, 'corral.config.json');
  afterAll(async () => {
    rmSync(dataDir, { recursive: true, force: true });
    if (backend === 'postgres') {
      const c = new pg.Client({ connectionString: POSTGRES_URL });
      await c.connect();
      await c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await c.end();
    }
  });

  /** The walkthrough's resources, and a pool to delete later. */
  const config = () => ({
    userPools: [
      {
        PoolName: 'WildRydes',
        AliasAttributes: ['email', 'phone_number'],
        AutoVerifiedAttributes: ['email'],
        Schema: [{ Name: 'genre', AttributeDataType: 'String', Mutable: true }],
        Policies: { PasswordPolicy: { MinimumLength: 8, RequireUppercase: true, RequireLowercase: true, RequireNumbers: true, RequireSymbols: true } },
        UserPoolTags: { team: 'rides' } as Record<string, string>,
        Clients: [
          { ClientName: 'wildrydes-web-app', GenerateSecret: false, ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] } as Record<
            string,
            unknown
          >,
          { ClientName: 'old-client' } as Record<string, unknown>,
        ],
      } as Record<string, unknown> & { Clients: Record<string, unknown>[] },
      { PoolName: 'Doomed', Clients: [] } as Record<string, unknown> & { Clients: Record<string, unknown>[] },
    ],
    identityPools: [
      {
        IdentityPoolName: 'wildrydes_identity_pool',
        AllowUnauthenticatedIdentities: false,
        CognitoIdentityProviders: [{ UserPool: 'WildRydes', Client: 'wildrydes-web-app' }],
        Roles: { authenticated: 'Auth_Role' },
      } as Record<string, unknown>,
    ],
  });
  const start = async (decl?: unknown) => {
    if (decl) writeFileSync(file, JSON.stringify(decl));
    return startTestCorral({ backend, dataDir, schema, provisionFile: decl ? file : undefined });
  };
  let first: NonNullable<Awaited<ReturnType<typeof startTestCorral>>['resources']>;
  const poolId = (name: string) => first.userPools.find((p) => p.name === name)!.id;
  const clientId = (pool: string, name: string) => first.userPools.find((p) => p.name === pool)!.clients.find((c) => c.name === name)!.id;

  it('updates what the file changed, keeps the ids, and leaves what the file does not mention', async () => {
    const c1 = await start(config());
    first = c1.resources!;
    await c1.stop();

    const changed = config();
    const wild = changed.userPools[0]!;
    wild.Policies = { PasswordPolicy: { MinimumLength: 12, RequireUppercase: true, RequireLowercase: true, RequireNumbers: true, RequireSymbols: false } };
    wild.Schema = [...(wild.Schema as object[]), { Name: 'rides', AttributeDataType: 'Number', Mutable: true }];
    wild.UserPoolTags = { env: 'dev' };
    wild.MfaConfiguration = 'OFF';
    delete wild.AutoVerifiedAttributes; // not mentioned: stays as it is
    wild.Clients[0]!.ExplicitAuthFlows = ['ALLOW_USER_SRP_AUTH', 'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'];
    changed.identityPools[0]!.AllowUnauthenticatedIdentities = true;
    changed.identityPools[0]!.Roles = { authenticated: 'Auth_Role', unauthenticated: 'Guest_Role' };
    const c2 = await start(changed);
    try {
      expect(c2.resources!.userPools).toEqual(first.userPools);
      expect(c2.resources!.identityPools).toEqual(first.identityPools);
      const { UserPool } = await c2.idp.send(new DescribeUserPoolCommand({ UserPoolId: poolId('WildRydes') }));
      expect(UserPool!.Policies!.PasswordPolicy).toMatchObject({ MinimumLength: 12, RequireSymbols: false });
      expect(UserPool!.AutoVerifiedAttributes).toEqual(['email']);
      expect(UserPool!.SchemaAttributes).toContainEqual(expect.objectContaining({ Name: 'custom:rides', AttributeDataType: 'Number' }));
      expect(UserPool!.UserPoolTags).toEqual({ env: 'dev' });
      const tags = await c2.idp.send(new ListTagsForResourceCommand({ ResourceArn: UserPool!.Arn }));
      expect(tags.Tags).toEqual({ env: 'dev' });
      const { UserPoolClient } = await c2.idp.send(
        new DescribeUserPoolClientCommand({ UserPoolId: poolId('WildRydes'), ClientId: clientId('WildRydes', 'wildrydes-web-app') }),
      );
      expect(UserPoolClient!.ExplicitAuthFlows).toEqual(['ALLOW_USER_SRP_AUTH', 'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH']);
      const ip = await c2.identity.send(new DescribeIdentityPoolCommand({ IdentityPoolId: first.identityPools[0]!.id }));
      expect(ip.AllowUnauthenticatedIdentities).toBe(true);
      expect(ip.CognitoIdentityProviders).toEqual([
        {
          ProviderName: `cognito-idp.us-east-1.amazonaws.com/${poolId('WildRydes')}`,
          ClientId: clientId('WildRydes', 'wildrydes-web-app'),
          ServerSideTokenCheck: false,
        },
      ]);
      const roles = await c2.identity.send(new GetIdentityPoolRolesCommand({ IdentityPoolId: first.identityPools[0]!.id }));
      expect(roles.Roles).toEqual({ authenticated: 'arn:aws:iam::000000000000:role/Auth_Role', unauthenticated: 'arn:aws:iam::000000000000:role/Guest_Role' });
    } finally {
      await c2.stop();
    }
  });

  it('refuses a changed AliasAttributes, naming it, and changes nothing', async () => {
    const before = await start();
    const described = async (c: Awaited<ReturnType<typeof start>>) => {
      const { LastModifiedDate: _m, ...pool } = (await c.idp.send(new DescribeUserPoolCommand({ UserPoolId: poolId('WildRydes') }))).UserPool!;
      return pool;
    };
    const was = await described(before);
    await before.stop();
    const bad = config();
    bad.userPools[0]!.AliasAttributes = ['phone_number'];
    bad.userPools[0]!.Policies = { PasswordPolicy: { MinimumLength: 20 } }; // valid on its own: must not be applied either
    bad.userPools.push({ PoolName: 'Newcomer', Clients: [] });
    await expect(start(bad)).rejects.toThrow(
      'user pool WildRydes: AliasAttributes cannot be changed after the pool is created (AWS: "To change user pool sign-in options, create a new user pool."); delete and re-create the pool, or put back ["email","phone_number"]',
    );
    const after = await start();
    try {
      expect(await described(after)).toEqual(was);
      const names = (await after.idp.send(new ListUserPoolsCommand({ MaxResults: 60 }))).UserPools!.map((p) => p.Name);
      expect(names.sort()).toEqual(['Doomed', 'WildRydes']);
    } finally {
      await after.stop();
    }
  });

  it('deletes what the file marks "Delete": true; what the file leaves out survives', async () => {
    const decl = config();
    delete decl.userPools[0]!.Schema; // not mentioned: custom:rides (added above) stays
    decl.userPools[1] = { PoolName: 'Doomed', Delete: true, Clients: [] };
    decl.userPools[0]!.Clients = [decl.userPools[0]!.Clients[0]!]; // old-client left out of the file
    decl.identityPools = []; // the identity pool left out of the file
    decl.userPools.push({ PoolName: 'NeverWas', Delete: true, Clients: [] }); // nothing to delete: no-op
    const c = await start(decl);
    try {
      const names = (await c.idp.send(new ListUserPoolsCommand({ MaxResults: 60 }))).UserPools!.map((p) => p.Name);
      expect(names).toEqual(['WildRydes']);
      const clients = (await c.idp.send(new ListUserPoolClientsCommand({ UserPoolId: poolId('WildRydes') }))).UserPoolClients!.map((x) => x.ClientName);
      expect(clients.sort()).toEqual(['old-client', 'wildrydes-web-app']);
      const ips = (await c.identity.send(new ListIdentityPoolsCommand({ MaxResults: 60 }))).IdentityPools!.map((p) => p.IdentityPoolName);
      expect(ips).toEqual(['wildrydes_identity_pool']);
      expect(c.resources!.userPools.map((p) => p.name)).toEqual(['WildRydes']);
    } finally {
      await c.stop();
    }
    // A client marked Delete goes too; the pool stays.
    const again = config();
    again.userPools = [{ ...again.userPools[0]!, Schema: undefined, Clients: [{ ClientName: 'old-client', Delete: true }] }];
    again.identityPools = [];
    const c2 = await start(again);
    try {
      const clients = (await c2.idp.send(new ListUserPoolClientsCommand({ UserPoolId: poolId('WildRydes') }))).UserPoolClients!.map((x) => x.ClientName);
      expect(clients).toEqual(['wildrydes-web-app']);
    } finally {
      await c2.stop();
    }
  });
});

describe('provisioning reports what it changed', () => {
  it('logs one line per change: created with the id, updated with the member, nothing when nothing changed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'corral-prov-log-'));
    const lines: string[] = [];
    const log = pino({ level: 'info' }, { write: (s: string) => void lines.push((JSON.parse(s) as { msg: string }).msg) });
    const app = await createCorral(
      configFromEnv({ CORRAL_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId, CORRAL_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey }, { dataDir: dir }),
      log,
    );
    const decl = (min: number) =>
      ProvisionFileSchema.parse({
        userPools: [{ PoolName: 'Logged', Policies: { PasswordPolicy: { MinimumLength: min } }, Clients: [{ ClientName: 'web' }] }],
      });
    try {
      const created = await provision(app, decl(8));
      expect(lines.filter((l) => l.startsWith('provisioning:'))).toEqual([
        `provisioning: created user pool Logged (${created.userPools[0]!.id})`,
        `provisioning: created app client web of user pool Logged (${created.userPools[0]!.clients[0]!.id})`,
      ]);
      lines.length = 0;
      await provision(app, decl(12));
      expect(lines).toEqual(['provisioning: updated user pool Logged: Policies.PasswordPolicy.MinimumLength 8 → 12']);
      lines.length = 0;
      await provision(app, decl(12));
      expect(lines).toEqual([]);
    } finally {
      await app.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('provisioning a pool’s domain, and members that disagree', () => {
  const dir = mkdtempSync(join(tmpdir(), 'corral-prov-domain-'));
  let c: Awaited<ReturnType<typeof startTestCorral>>;
  beforeAll(async () => {
    c = await startTestCorral();
  });
  afterAll(async () => {
    await c?.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  const apply = async (userPools: unknown[]) => provision(c.app, ProvisionFileSchema.parse({ userPools }));
  const describePool = async (id: string) => (await c.idp.send(new DescribeUserPoolCommand({ UserPoolId: id }))).UserPool!;
  const holder = async (domain: string) => (await c.idp.send(new DescribeUserPoolDomainCommand({ Domain: domain }))).DomainDescription?.UserPoolId;

  it('creates the domain with a new pool, adds one to a pool without, keeps it when the file says the same', async () => {
    const made = await apply([{ PoolName: 'Hosted', Domain: 'hosted-rides', Clients: [] }]);
    const id = made.userPools[0]!.id;
    expect((await describePool(id)).Domain).toBe('hosted-rides');
    expect(await holder('hosted-rides')).toBe(id);
    const plain = (await apply([{ PoolName: 'Plain', Clients: [] }])).userPools[0]!.id;
    expect((await describePool(plain)).Domain).toBeUndefined();
    await apply([{ PoolName: 'Plain', Domain: 'plain-rides', Clients: [] }]);
    expect((await describePool(plain)).Domain).toBe('plain-rides');
    const before = await describePool(id);
    await apply([{ PoolName: 'Hosted', Domain: 'hosted-rides', Clients: [] }]);
    expect(await describePool(id)).toEqual(before);
  });

  it('refuses a renamed domain, one another pool holds, a reserved word and a bad name, changing nothing', async () => {
    const id = (await apply([{ PoolName: 'Hosted', Clients: [] }])).userPools[0]!.id;
    await expect(apply([{ PoolName: 'Hosted', Domain: 'renamed-rides', Clients: [] }])).rejects.toThrow(
      /user pool Hosted: Domain cannot be renamed in place .*remove hosted-rides first.*or put back "hosted-rides"/,
    );
    await expect(apply([{ PoolName: 'Third', Domain: 'hosted-rides', Clients: [] }])).rejects.toThrow(
      `user pool Third: Domain hosted-rides is already associated with another user pool (${id})`,
    );
    await expect(apply([{ PoolName: 'Third', Domain: 'my-cognito-pool', Clients: [] }])).rejects.toThrow('Domain cannot contain reserved word: cognito');
    await expect(apply([{ PoolName: 'Third', Domain: 'Not A Domain', Clients: [] }])).rejects.toThrow(/user pool Third: .*domain/i);
    await expect(
      apply([
        { PoolName: 'Third', Domain: 'twice-rides', Clients: [] },
        { PoolName: 'Fourth', Domain: 'twice-rides', Clients: [] },
      ]),
    ).rejects.toThrow('domain twice-rides: declared for more than one user pool in the file');
    const names = (await c.idp.send(new ListUserPoolsCommand({ MaxResults: 60 }))).UserPools!.map((p) => p.Name);
    expect(names.sort()).toEqual(['Hosted', 'Plain']);
    expect((await describePool(id)).Domain).toBe('hosted-rides');
  });

  it('"Domain": null removes it; a pool marked Delete goes with its domain', async () => {
    const plain = (await apply([{ PoolName: 'Plain', Domain: null, Clients: [] }])).userPools[0]!.id;
    expect((await describePool(plain)).Domain).toBeUndefined();
    expect(await holder('plain-rides')).toBeUndefined();
    await apply([{ PoolName: 'Hosted', Delete: true, Clients: [] }]);
    const names = (await c.idp.send(new ListUserPoolsCommand({ MaxResults: 60 }))).UserPools!.map((p) => p.Name);
    expect(names).toEqual(['Plain']);
    expect(await holder('hosted-rides')).toBeUndefined();
  });

  it('refuses MfaConfiguration and MfaConfig.MfaConfiguration that disagree', async () => {
    await expect(
      apply([
        {
          PoolName: 'Plain',
          MfaConfiguration: 'OFF',
          MfaConfig: { MfaConfiguration: 'OPTIONAL', SoftwareTokenMfaConfiguration: { Enabled: true } },
          Clients: [],
        },
      ]),
    ).rejects.toThrow('user pool Plain: MfaConfiguration "OFF" and MfaConfig.MfaConfiguration "OPTIONAL" disagree');
    const plain = (await c.idp.send(new ListUserPoolsCommand({ MaxResults: 60 }))).UserPools!.find((p) => p.Name === 'Plain')!.Id!;
    expect((await c.idp.send(new GetUserPoolMfaConfigCommand({ UserPoolId: plain }))).MfaConfiguration).toBe('OFF');
    // The same value in both is one intent.
    await apply([
      {
        PoolName: 'Plain',
        MfaConfiguration: 'OPTIONAL',
        MfaConfig: { MfaConfiguration: 'OPTIONAL', SoftwareTokenMfaConfiguration: { Enabled: true } },
        Clients: [],
      },
    ]);
    expect((await c.idp.send(new GetUserPoolMfaConfigCommand({ UserPoolId: plain }))).MfaConfiguration).toBe('OPTIONAL');
  });

  it('refuses a pool or a client the file names twice; of two existing pools with one name, updates the oldest only', async () => {
    await expect(
      apply([
        { PoolName: 'Twice', Clients: [] },
        { PoolName: 'Twice', Policies: { PasswordPolicy: { MinimumLength: 12 } }, Clients: [] },
      ]),
    ).rejects.toThrow('user pool Twice: declared more than once in the file');
    await expect(apply([{ PoolName: 'Plain', Clients: [{ ClientName: 'web' }, { ClientName: 'web', GenerateSecret: true }] }])).rejects.toThrow(
      'app client web of user pool Plain: declared more than once in the file',
    );
    const older = (await c.idp.send(new CreateUserPoolCommand({ PoolName: 'Twin' }))).UserPool!.Id!;
    await new Promise((r) => setTimeout(r, 5));
    const newer = (await c.idp.send(new CreateUserPoolCommand({ PoolName: 'Twin' }))).UserPool!.Id!;
    const made = await apply([{ PoolName: 'Twin', Policies: { PasswordPolicy: { MinimumLength: 14 } }, Clients: [] }]);
    expect(made.userPools[0]!.id).toBe(older);
    expect((await describePool(older)).Policies!.PasswordPolicy!.MinimumLength).toBe(14);
    expect((await describePool(newer)).Policies!.PasswordPolicy!.MinimumLength).toBe(8);
  });

  it('refuses a file with a Domain that is not a name, naming the member', () => {
    const file = join(dir, 'bad-domain.json');
    writeFileSync(file, JSON.stringify({ userPools: [{ PoolName: 'X', Domain: 42 }] }));
    expect(() => readProvisionFile(file)).toThrow(/userPools\.0\.Domain/);
  });
});
