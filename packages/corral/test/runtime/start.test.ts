// `corral start` from the repo root: provisions the seed's resources from corral.config.json, prints their ids
// (the walkthrough's scratch pad), writes resources.json, serves /_corral/resources; a restart keeps the ids.
import { CognitoIdentityProviderClient, DescribeUserPoolClientCommand, DescribeUserPoolCommand } from '@aws-sdk/client-cognito-identity-provider';
import { CognitoIdentityClient, DescribeIdentityPoolCommand, GetIdentityPoolRolesCommand } from '@aws-sdk/client-cognito-identity';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, runCli, type CliProcess } from '../support/cli.js';

const dataDir = mkdtempSync(join(tmpdir(), 'corral-start-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

interface Printed {
  poolId: string;
  clientId: string;
  identityPoolId: string;
  region: string;
  endpoint: string;
  /** Printed only by the start that generated them (issue 8: the admin secret is printed once). */
  accessKeyId?: string;
  secretAccessKey?: string;
}

async function start(port: number, env: Record<string, string> = {}): Promise<{ cli: CliProcess; printed: Printed }> {
  const cli = runCli(['start'], { CORRAL_DATA_DIR: dataDir, PORT: String(port), LOG_LEVEL: 'info', ...env });
  await cli.waitFor(/Corral listening on /);
  const out = cli.stdout();
  const grab = (re: RegExp) => {
    const m = out.match(re);
    if (!m) throw new Error(`not printed: ${re}\n${out}`);
    return m[1]!;
  };
  return {
    cli,
    printed: {
      poolId: grab(/User Pool Id \(WildRydes\):\s+(\S+)/),
      clientId: grab(/App Client Id \(wildrydes-web-app\):\s+(\S+)/),
      identityPoolId: grab(/Identity Pool Id \(wildrydes_identity_pool\):\s+(\S+)/),
      region: grab(/Region:\s+(\S+)/),
      endpoint: grab(/Endpoint:\s+(\S+)/),
      accessKeyId: out.match(/AWS_ACCESS_KEY_ID=(\S+)/)?.[1],
      secretAccessKey: out.match(/AWS_SECRET_ACCESS_KEY=(\S+)/)?.[1],
    },
  };
}

async function stop(cli: CliProcess): Promise<void> {
  cli.child.kill('SIGTERM');
  expect(await cli.exited).toBe(0);
}

describe('corral start with the repo configuration', () => {
  let first: Printed;

  it('prints the seed ids, provisions them as declared, writes and serves them', async () => {
    const port = await freePort();
    const { cli, printed } = await start(port);
    first = printed;
    try {
      expect(printed.region).toBe('us-east-1');
      expect(printed.endpoint).toBe(`http://localhost:${port}`);
      expect(printed.poolId).toMatch(/^us-east-1_[0-9a-zA-Z]+$/);
      expect(printed.clientId).toMatch(/^[a-z0-9]{26}$/);
      expect(printed.identityPoolId).toMatch(/^us-east-1:[0-9a-f-]{36}$/);

      const expected = {
        region: 'us-east-1',
        endpoint: `http://localhost:${port}`,
        accountId: '000000000000',
        userPools: [{ name: 'WildRydes', id: printed.poolId, clients: [{ name: 'wildrydes-web-app', id: printed.clientId }] }],
        identityPools: [{ name: 'wildrydes_identity_pool', id: printed.identityPoolId }],
      };
      expect(JSON.parse(readFileSync(join(dataDir, 'resources.json'), 'utf8'))).toEqual(expected);
      const served = await fetch(`http://127.0.0.1:${port}/_corral/resources`, { headers: { origin: 'http://localhost:3000' } });
      expect(served.status).toBe(200);
      expect(served.headers.get('access-control-allow-origin')).toBe('http://localhost:3000');
      expect(await served.json()).toEqual(expected);

      const config = {
        region: 'us-east-1',
        endpoint: `http://127.0.0.1:${port}`,
        credentials: { accessKeyId: printed.accessKeyId!, secretAccessKey: printed.secretAccessKey! },
      };
      const idp = new CognitoIdentityProviderClient(config);
      const identity = new CognitoIdentityClient(config);
      const { UserPool } = await idp.send(new DescribeUserPoolCommand({ UserPoolId: printed.poolId }));
      expect(UserPool).toMatchObject({
        Name: 'WildRydes',
        AliasAttributes: ['email', 'phone_number'],
        AutoVerifiedAttributes: ['email'],
        MfaConfiguration: 'OFF',
        Policies: { PasswordPolicy: { MinimumLength: 8, RequireUppercase: true, RequireLowercase: true, RequireNumbers: true, RequireSymbols: true } },
      });
      expect(UserPool!.UsernameAttributes ?? []).toEqual([]);
      expect(UserPool!.DeviceConfiguration).toBeUndefined();
      expect(UserPool!.SchemaAttributes).toContainEqual(expect.objectContaining({ Name: 'custom:genre', AttributeDataType: 'String', Mutable: true }));
      const { UserPoolClient } = await idp.send(new DescribeUserPoolClientCommand({ UserPoolId: printed.poolId, ClientId: printed.clientId }));
      expect(UserPoolClient!.ClientName).toBe('wildrydes-web-app');
      expect(UserPoolClient!.ClientSecret).toBeUndefined();

      const pool = await identity.send(new DescribeIdentityPoolCommand({ IdentityPoolId: printed.identityPoolId }));
      expect(pool).toMatchObject({
        IdentityPoolName: 'wildrydes_identity_pool',
        AllowUnauthenticatedIdentities: false,
        CognitoIdentityProviders: [{ ProviderName: `cognito-idp.us-east-1.amazonaws.com/${printed.poolId}`, ClientId: printed.clientId }],
      });
      const roles = await identity.send(new GetIdentityPoolRolesCommand({ IdentityPoolId: printed.identityPoolId }));
      expect(roles.Roles).toEqual({
        authenticated: 'arn:aws:iam::000000000000:role/Cognito_wildrydes_identity_poolAuth_Role',
        unauthenticated: 'arn:aws:iam::000000000000:role/Cognito_wildrydes_identity_poolUnauth_Role',
      });
      idp.destroy();
      identity.destroy();
    } finally {
      await stop(cli);
    }
  });

  it('prints the same ids on a second start, and not the admin secret again', async () => {
    const { cli, printed } = await start(await freePort());
    try {
      expect(first.secretAccessKey).toBeTruthy();
      expect(cli.stdout()).not.toContain(first.secretAccessKey!);
      expect({ ...printed, endpoint: '' }).toEqual({ ...first, endpoint: '', accessKeyId: undefined, secretAccessKey: undefined });
    } finally {
      await stop(cli);
    }
  });

  it('logs each request as JSON with the request id it answered with', async () => {
    const port = await freePort();
    const { cli } = await start(port);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/health`);
      expect(await res.json()).toEqual({ status: 'ok' });
      const requestId = res.headers.get('x-amzn-requestid')!;
      expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
      await cli.waitFor(new RegExp(`"requestId":"${requestId}"`), 5000);
      const line = cli
        .stdout()
        .split('\n')
        .find((l) => l.includes(requestId))!;
      expect(JSON.parse(line)).toMatchObject({ level: 30, requestId, method: 'GET', url: '/health', status: 200 });
    } finally {
      await stop(cli);
    }
  });

  it('refuses to start on an invalid configuration file, naming the problem', async () => {
    const bad = join(dataDir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ userPools: [{ Clients: [] }] }));
    const cli = runCli(['start'], { CORRAL_DATA_DIR: dataDir, PORT: String(await freePort()), CORRAL_CONFIG: bad });
    expect(await cli.exited).not.toBe(0);
    expect(cli.stderr()).toContain('userPools.0.PoolName');
  });
});
