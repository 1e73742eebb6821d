// Contract of storage/identity-providers.ts (providers, their IdpIdentifiers, and the links of external identities to
// users) on both databases, with the races it guards: concurrent creations at the pool's limit, two providers
// claiming one identifier, and concurrent links at a user's limit (never past them, whichever instance writes).
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ProviderLink, ProviderRecord } from '../../src/storage/identity-providers.js';
import { describeEachBackend } from '../support/corral.js';
import { openFreshStore, seedPool, seedUser, type FreshStore } from './fresh-store.js';

const provider = (poolId: string, name: string, over: Partial<ProviderRecord> = {}): ProviderRecord => ({
  poolId,
  name,
  type: 'OIDC',
  details: { client_id: 'abc', authorize_scopes: 'openid', oidc_issuer: 'https://op.example.com' },
  sealedSecrets: 'v1.sealed',
  attributeMapping: { username: 'sub', email: 'email' },
  idpIdentifiers: [],
  createdAt: 1_700_000_000_000,
  updatedAt: 1_700_000_000_000,
  ...over,
});

describeEachBackend('storage: identity providers', (backend) => {
  let s: FreshStore;
  beforeAll(async () => {
    s = await openFreshStore(backend);
  });
  afterAll(async () => s?.close());

  it('creates (a name once per pool), finds, lists, updates and deletes providers', async () => {
    const p = await seedPool(s.db);
    const other = await seedPool(s.db);
    const repo = s.store.identityProviders;
    const a = provider(p, 'Corp', { idpIdentifiers: ['corp.example.com', 'CorpSSO'] });
    const b = provider(p, 'Google', { type: 'Google', sealedSecrets: null });
    expect(await repo.create(a, 300)).toBe('created');
    expect(await repo.create(b, 300)).toBe('created');
    expect(await repo.create({ ...a, type: 'SAML' }, 300)).toBe('exists');
    expect(await repo.create(provider(other, 'Corp'), 300)).toBe('created'); // another pool's name
    expect(await repo.create(provider(p, 'Third'), 2)).toBe('limit');
    expect(await repo.create(provider(p, 'Third', { idpIdentifiers: ['x', 'CorpSSO'] }), 300)).toEqual({ identifierTaken: 'CorpSSO' });
    expect(await repo.find(p, 'Third')).toBeUndefined();

    expect(await repo.find(p, 'Corp')).toEqual(a);
    expect(await repo.find(p, 'corp')).toBeUndefined();
    expect(await repo.findByIdentifier(p, 'CorpSSO')).toEqual(a);
    expect(await repo.findByIdentifier(other, 'CorpSSO')).toBeUndefined();
    expect(await repo.list(p)).toEqual([a, b]);
    expect(await repo.list(p, 1)).toEqual([a]);
    expect(await repo.list(p, 5, 'Corp')).toEqual([b]);
    expect(await repo.names(p)).toEqual(['Corp', 'Google']);

    const changed = { ...a, details: { client_id: 'new' }, sealedSecrets: null, attributeMapping: {}, idpIdentifiers: ['CorpSSO', 'new-id'], updatedAt: 5 };
    expect(await repo.update(changed)).toBe('updated');
    expect(await repo.find(p, 'Corp')).toEqual(changed);
    expect(await repo.findByIdentifier(p, 'corp.example.com')).toBeUndefined(); // the old identifier is free again
    expect(await repo.update({ ...b, idpIdentifiers: ['new-id'] })).toEqual({ identifierTaken: 'new-id' });
    expect(await repo.update(provider(p, 'Nothere'))).toBe('missing');

    expect(await repo.delete(p, 'Corp', 9)).toBe(true);
    expect(await repo.delete(p, 'Corp', 9)).toBe(false);
    expect(await repo.findByIdentifier(p, 'CorpSSO')).toBeUndefined();
    expect(await repo.list(p)).toEqual([b]);
  });

  it("deleting a provider takes its name out of the pool's clients and drops its links", async () => {
    const p = await seedPool(s.db);
    const sub = await seedUser(s.db, p);
    const repo = s.store.identityProviders;
    await repo.create(provider(p, 'Corp'), 300);
    const settings = (names: string[]) => JSON.stringify({ SupportedIdentityProviders: names, RefreshTokenValidity: 30 });
    await s.db
      .insertInto('user_pool_clients')
      .values([
        { id: `c1${p}`, pool_id: p, name: 'one', secret: null, settings: settings(['COGNITO', 'Corp']), created_at: 1, updated_at: 1 },
        { id: `c2${p}`, pool_id: p, name: 'two', secret: null, settings: settings(['COGNITO']), created_at: 1, updated_at: 1 },
      ])
      .execute();
    await repo.createLink({ poolId: p, providerName: 'Corp', attributeName: 'Cognito_Subject', attributeValue: 'abc', userSub: sub, createdAt: 1 }, 5);
    expect(await repo.delete(p, 'Corp', 42)).toBe(true);
    const rows = await s.db.selectFrom('user_pool_clients').select(['id', 'settings', 'updated_at']).where('pool_id', '=', p).orderBy('id').execute();
    expect(rows.map((r) => [JSON.parse(r.settings).SupportedIdentityProviders, Number(r.updated_at)])).toEqual([
      [['COGNITO'], 42],
      [['COGNITO'], 1],
    ]);
    expect(await repo.linksOfUser(sub)).toEqual([]);
  });

  it('concurrent creations at the limit never pass it, and an identifier goes to one provider', async () => {
    const other = await s.another();
    const p = await seedPool(s.db);
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? other : s.store).identityProviders.create(provider(p, `idp-${i}`), 4)));
    expect(results.filter((r) => r === 'created')).toHaveLength(4);
    expect(results.filter((r) => r === 'limit')).toHaveLength(6);

    const q = await seedPool(s.db);
    const claims = await Promise.all(
      Array.from({ length: 6 }, (_, i) => (i % 2 ? other : s.store).identityProviders.create(provider(q, `idp-${i}`, { idpIdentifiers: ['shared'] }), 300)),
    );
    expect(claims.filter((r) => r === 'created')).toHaveLength(1);
    expect(claims.filter((r) => typeof r === 'object')).toHaveLength(5);
  });

  const link = (poolId: string, userSub: string, value: string, over: Partial<ProviderLink> = {}): ProviderLink => ({
    poolId,
    providerName: 'Google',
    attributeName: 'Cognito_Subject',
    attributeValue: value,
    userSub,
    createdAt: 1_700_000_000_000,
    ...over,
  });

  it('links an identity to one user, at most max per user; finds, re-keys and removes links', async () => {
    const p = await seedPool(s.db);
    const alice = await seedUser(s.db, p);
    const bob = await seedUser(s.db, p);
    const repo = s.store.identityProviders;
    const l1 = link(p, alice, 'g-1');
    expect(await repo.createLink(l1, 2)).toBe('linked');
    expect(await repo.createLink({ ...l1, userSub: bob }, 2)).toEqual({ linkedTo: alice });
    expect(await repo.createLink(link(p, alice, 'email-1', { providerName: 'Corp', attributeName: 'email', createdAt: 1_700_000_000_001 }), 2)).toBe('linked');
    expect(await repo.createLink(link(p, alice, 'g-2'), 2)).toBe('limit');
    expect(await repo.createLink(link(p, 'no-such-user', 'g-3'), 2)).toBe('no-user');

    expect(await repo.findLink(p, 'Google', 'Cognito_Subject', 'g-1')).toEqual(l1);
    expect(await repo.findLink(p, 'Google', 'Cognito_Subject', 'g-2')).toBeUndefined();
    expect((await repo.linksOfUser(alice)).map((l) => l.attributeValue)).toEqual(['g-1', 'email-1']);
    const [byEmail] = await repo.findLinksByAttributes(p, 'Corp', { email: 'email-1', name: 'x' });
    expect(byEmail?.userSub).toBe(alice);
    expect(await repo.findLinksByAttributes(p, 'Corp', {})).toEqual([]);

    expect(await repo.rekeyLink(byEmail!, 'corp-sub')).toBe(true);
    expect(await repo.findLink(p, 'Corp', 'Cognito_Subject', 'corp-sub')).toMatchObject({ userSub: alice });
    expect(await repo.findLink(p, 'Corp', 'email', 'email-1')).toBeUndefined();

    expect(await repo.deleteLink(p, 'Google', 'Cognito_Subject', 'g-1')).toEqual(l1);
    expect(await repo.deleteLink(p, 'Google', 'Cognito_Subject', 'g-1')).toBeUndefined();
    expect(await repo.createLink({ ...l1, userSub: bob }, 2)).toBe('linked');
  });

  it('concurrent links at a user’s limit never pass it', async () => {
    const other = await s.another();
    const p = await seedPool(s.db);
    const sub = await seedUser(s.db, p);
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? other : s.store).identityProviders.createLink(link(p, sub, `g-${i}`), 5)));
    expect(results.filter((r) => r === 'linked')).toHaveLength(5);
    expect(results.filter((r) => r === 'limit')).toHaveLength(5);
  });

  it('federated users: one user per identity and one identity per user, racing on two instances; gone with the user', async () => {
    const p = await seedPool(s.db);
    const alice = await seedUser(s.db, p);
    const bob = await seedUser(s.db, p);
    const repo = s.store.identityProviders;
    const other = await s.another();
    const rec = (userSub: string, providerName: string, userId: string) => ({ poolId: p, providerName, userId, userSub, createdAt: 1 });
    const results = await Promise.all(
      [alice, bob, alice, bob].map((sub, i) => (i % 2 ? other : s.store).identityProviders.recordFederatedUser(rec(sub, 'Corp', 'B_x'))),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
    const owner = (await repo.findFederatedUser(p, 'Corp', 'B_x'))!;
    expect([alice, bob]).toContain(owner);
    // The same username from another split is another identity; the owner cannot take a second one.
    expect(await repo.findFederatedUser(p, 'Corp_B', 'x')).toBeUndefined();
    expect(await repo.recordFederatedUser(rec(owner, 'Corp_B', 'x'))).toBe(false);
    await s.db.deleteFrom('users').where('id', '=', owner).execute();
    expect(await repo.findFederatedUser(p, 'Corp', 'B_x')).toBeUndefined();
  });
});
