// Provisioning from a file at start: the repo's corral.config.json on both databases, idempotent by name.
import { ListUserPoolClientsCommand, ListUserPoolsCommand } from '@aws-sdk/client-cognito-identity-provider';
import { ListIdentityPoolsCommand } from '@aws-sdk/client-cognito-identity';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, expect, it } from 'vitest';
import { describeEachBackend, POSTGRES_URL, startTestCorral } from '../support/corral.js';
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
      /provisioning user pool Bad failed: InvalidParameterException: 1 validation error detected: Value 'MAYBE' at 'mfaConfiguration'/,
    );
  });

  it('refuses an identity pool naming an undeclared user pool client', async () => {
    const file = join(dataDir, 'bad-ref.json');
    writeFileSync(file, JSON.stringify({ identityPools: [{ IdentityPoolName: 'x', CognitoIdentityProviders: [{ UserPool: 'Nope', Client: 'none' }] }] }));
    await expect(startTestCorral({ backend, provisionFile: file })).rejects.toThrow(/Nope\/none, which is not declared in userPools/);
  });
});
