// GET /_corral/resources: the owner (a loopback request to a Corral listening on loopback) sees every pool; anyone
// else sees only what the provisioning file declares, so other pools' ids cannot be enumerated without credentials.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'node:http';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateUserPoolCommand } from '@aws-sdk/client-cognito-identity-provider';
import { startTestCorral, type TestCorral } from '../support/corral.js';

interface Listing {
  userPools: { name: string; id: string; clients: { name: string }[] }[];
  identityPools: { name: string }[];
}

/** GET with a chosen Host header (fetch cannot set one), and Origin if given. */
function getWithHost(url: string, host: string, origin?: string): Promise<Listing> {
  return new Promise((ok, fail) => {
    const req = request(`${url}/_corral/resources`, { headers: { host, ...(origin ? { origin } : {}) } }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => ok(JSON.parse(body) as Listing));
    });
    req.on('error', fail);
    req.end();
  });
}

describe('/_corral/resources', () => {
  let corral: TestCorral;

  beforeAll(async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'corral-resources-')), 'corral.config.json');
    writeFileSync(
      file,
      JSON.stringify({
        userPools: [{ PoolName: 'Declared', Clients: [{ ClientName: 'web' }] }],
        identityPools: [{ IdentityPoolName: 'declared_ids', CognitoIdentityProviders: [{ UserPool: 'Declared', Client: 'web' }] }],
      }),
    );
    corral = await startTestCorral({ provisionFile: file });
    await corral.idp.send(new CreateUserPoolCommand({ PoolName: 'Undeclared' }));
  });
  afterAll(async () => corral?.stop());

  it('lists every pool to its owner on loopback', async () => {
    const listing = await getWithHost(corral.url, 'localhost');
    expect(listing.userPools.map((p) => p.name).sort()).toEqual(['Declared', 'Undeclared']);
  });

  it('lists every pool to a page of a loopback origin (the site on another port)', async () => {
    for (const origin of ['http://localhost:8080', 'http://127.0.0.1:3000', 'http://[::1]:5173']) {
      const listing = await getWithHost(corral.url, 'localhost', origin);
      expect(listing.userPools.map((p) => p.name).sort(), origin).toEqual(['Declared', 'Undeclared']);
    }
  });

  it('lists only the declared resources to a page of another origin, even on loopback', async () => {
    for (const origin of ['https://evil.example', 'null', 'http://localhost.evil.example']) {
      const listing = await getWithHost(corral.url, 'localhost', origin);
      expect(
        listing.userPools.map((p) => p.name),
        origin,
      ).toEqual(['Declared']);
      expect(
        listing.identityPools.map((p) => p.name),
        origin,
      ).toEqual(['declared_ids']);
    }
  });

  it('lists only the declared resources to a request for another host name', async () => {
    const listing = await getWithHost(corral.url, 'corral.example.com');
    expect(listing.userPools.map((p) => p.name)).toEqual(['Declared']);
    expect(listing.userPools[0]!.clients.map((c) => c.name)).toEqual(['web']);
    expect(listing.identityPools.map((p) => p.name)).toEqual(['declared_ids']);
  });
});
