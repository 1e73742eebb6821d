// A measurement, not a timed test (it runs only with CORRAL_MEASURE=1, and judges no time): ListUsers at 1k and
// 100k users (CORRAL_MEASURE_SIZES=1000,100000,… to choose), on SQLite and PostgreSQL (CORRAL_MEASURE_BACKENDS=sqlite
// for one). The users are loaded straight into the tables (test/support/bulk-users.ts), then each search is timed
// through the domain (listUsers, what the action calls) and over HTTP with the AWS SDK: the median and p95 of
// repeated calls (CORRAL_MEASURE_RUNS, 200 by default).
//
//   CORRAL_MEASURE=1 npx vitest run packages/corral/test/perf/list-users-scale.test.ts
import { CognitoIdentityProviderClient, ListUsersCommand } from '@aws-sdk/client-cognito-identity-provider';
import { sql } from 'kysely';
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requirePool } from '../../src/domain/pools.js';
import { listUsers, parseFilter } from '../../src/domain/user-list.js';
import { bulkInsertUsers } from '../support/bulk-users.js';
import { postgresAvailable, startTestCorral, TEST_CREDENTIALS, type Backend, type TestCorral } from '../support/corral.js';
import { createWildRydesPool } from '../support/pools.js';

const on = process.env.CORRAL_MEASURE === '1';
const SIZES = (process.env.CORRAL_MEASURE_SIZES ?? '1000,100000').split(',').map(Number);
const RUNS = Number(process.env.CORRAL_MEASURE_RUNS ?? 200);
const FILTERS = [
  'email ^= "user12"',
  undefined,
  'email = "user4321@example.com"',
  'username ^= "user99"',
  'given_name ^= "G"',
  'cognito:user_status = "CONFIRMED"',
  'status = "Disabled"',
];

function stats(ms: number[]): { median: number; p95: number } {
  const s = [...ms].sort((a, b) => a - b);
  return { median: s[Math.floor(s.length / 2)]!, p95: s[Math.floor(s.length * 0.95)]! };
}

const backends: Backend[] = (['sqlite', ...((await postgresAvailable()) ? (['postgres'] as const) : [])] as Backend[]).filter(
  (b) => !process.env.CORRAL_MEASURE_BACKENDS || process.env.CORRAL_MEASURE_BACKENDS.split(',').includes(b),
);
const rows: string[] = [];

describe.skipIf(!on)('measurement: ListUsers cost by pool size', () => {
  afterAll(() => {
    console.log(
      ['', '| backend | users | filter | domain median / p95 (ms) | HTTP median / p95 (ms) | found |', '|---|---|---|---|---|---|', ...rows].join('\n'),
    );
  });

  for (const backend of backends) {
    describe(backend, () => {
      let corral: TestCorral;
      let poolId: string;
      let loaded = 0;
      beforeAll(async () => {
        corral = await startTestCorral({ backend });
        poolId = (await createWildRydesPool(corral)).poolId;
      }, 60_000);
      afterAll(async () => corral?.stop());

      for (const size of SIZES) {
        it(`${size} users`, { timeout: 3_600_000 }, async () => {
          const t0 = performance.now();
          const from = loaded;
          await bulkInsertUsers(
            corral.app.db,
            poolId,
            size - from,
            (j) => {
              const i = from + j;
              return {
                username: `user${i}`,
                status: i % 7 ? 'CONFIRMED' : 'FORCE_CHANGE_PASSWORD',
                enabled: i % 50 !== 0,
                attributes: { email: `user${i}@example.com`, email_verified: 'true', given_name: `G${i % 1000}`, family_name: `F${i}` },
              };
            },
            1000,
          );
          loaded = size;
          if (backend === 'postgres') await sql`ANALYZE`.execute(corral.app.db); // what autovacuum does after a bulk load
          console.log(`${backend}: ${size} users loaded in ${Math.round(performance.now() - t0)} ms`);

          const pool = await requirePool(corral.app, poolId);
          // A new client: the old one's keep-alive socket may have been closed by the server during a long load.
          const idp = new CognitoIdentityProviderClient({ region: 'us-east-1', endpoint: corral.url, credentials: TEST_CREDENTIALS, maxAttempts: 1 });
          for (const Filter of FILTERS) {
            const filter = parseFilter(Filter);
            const domain: number[] = [];
            let found = 0;
            for (let r = 0; r < RUNS; r++) {
              const t = performance.now();
              const page = await listUsers(corral.app, pool, filter, 60, undefined);
              domain.push(performance.now() - t);
              found = page.users.length;
            }
            const http: number[] = [];
            for (let r = 0; r < RUNS; r++) {
              const t = performance.now();
              const page = await idp.send(new ListUsersCommand({ UserPoolId: poolId, Filter, Limit: 60 }));
              http.push(performance.now() - t);
              expect(page.Users!.length).toBe(found);
            }
            const [d, h] = [stats(domain), stats(http)];
            rows.push(
              `| ${backend} | ${size} | ${Filter ?? '(none)'} | ${d.median.toFixed(2)} / ${d.p95.toFixed(2)} | ${h.median.toFixed(2)} / ${h.p95.toFixed(2)} | ${found} |`,
            );
          }
          idp.destroy();
        });
      }
    });
  }
});
