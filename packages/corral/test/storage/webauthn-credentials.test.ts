// Contract of storage/webauthn-credentials.ts on both databases.
import { randomBytes } from 'node:crypto';
import { expect, it } from 'vitest';
import type { WebAuthnCredential } from '../../src/storage/webauthn-credentials.js';
import { describeEachBackend } from '../support/corral.js';
import { seedPool, seedUser, suiteStore } from './fresh-store.js';

describeEachBackend('storage: passkeys (WebAuthn credentials)', (backend) => {
  const s = suiteStore(backend);

  const passkey = (userId: string, over: Partial<WebAuthnCredential> = {}): WebAuthnCredential => ({
    poolId: s.poolId,
    credentialId: randomBytes(16).toString('base64url'),
    userId,
    publicKey: randomBytes(77).toString('base64url'),
    signCount: 0,
    transports: ['internal', 'hybrid'],
    attachment: 'platform',
    friendlyName: 'Passkey',
    relyingPartyId: 'example.com',
    createdAt: 1000,
    lastUsedAt: null,
    ...over,
  });

  it('create stores the passkey as given; find finds it in its pool only; a second one with the id is refused', async () => {
    const userId = await seedUser(s.db, s.poolId);
    const p = passkey(userId, { attachment: null, transports: [] });
    expect(await s.store.webAuthnCredentials.create(p)).toBe(true);
    expect(await s.store.webAuthnCredentials.find(s.poolId, p.credentialId)).toEqual(p);
    expect(await s.store.webAuthnCredentials.find(await seedPool(s.db), p.credentialId)).toBeUndefined();
    const other = await s.another();
    const results = await Promise.all([
      s.store.webAuthnCredentials.create({ ...p, friendlyName: 'a' }),
      other.webAuthnCredentials.create({ ...p, userId: await seedUser(s.db, s.poolId) }),
    ]);
    expect(results).toEqual([false, false]);
    // The same id in another pool is another credential.
    const elsewhere = await seedPool(s.db);
    expect(await s.store.webAuthnCredentials.create({ ...p, poolId: elsewhere, userId: await seedUser(s.db, elsewhere) })).toBe(true);
  });

  it('listForUser pages in id order; countForUser; delete removes only the owner’s', async () => {
    const userId = await seedUser(s.db, s.poolId);
    const mine = await Promise.all(
      [0, 1, 2].map(async () => {
        const p = passkey(userId);
        await s.store.webAuthnCredentials.create(p);
        return p.credentialId;
      }),
    );
    mine.sort();
    await s.store.webAuthnCredentials.create(passkey(await seedUser(s.db, s.poolId)));
    expect(await s.store.webAuthnCredentials.countForUser(s.poolId, userId)).toBe(3);
    const first = await s.store.webAuthnCredentials.listForUser(s.poolId, userId, { limit: 2 });
    expect(first.map((c) => c.credentialId)).toEqual(mine.slice(0, 2));
    const rest = await s.store.webAuthnCredentials.listForUser(s.poolId, userId, { after: first[1]!.credentialId, limit: 2 });
    expect(rest.map((c) => c.credentialId)).toEqual(mine.slice(2));
    expect(await s.store.webAuthnCredentials.delete(s.poolId, await seedUser(s.db, s.poolId), mine[0]!)).toBe(false);
    expect(await s.store.webAuthnCredentials.delete(s.poolId, userId, mine[0]!)).toBe(true);
    expect(await s.store.webAuthnCredentials.delete(s.poolId, userId, mine[0]!)).toBe(false);
    expect(await s.store.webAuthnCredentials.countForUser(s.poolId, userId)).toBe(2);
  });

  it('advanceSignCount is compare-and-set: of racing callers with one expected count, one wins (across instances too)', async () => {
    const p = passkey(await seedUser(s.db, s.poolId), { signCount: 5 });
    await s.store.webAuthnCredentials.create(p);
    expect(await s.store.webAuthnCredentials.advanceSignCount(s.poolId, p.credentialId, 4, 6, 2000)).toBe(false);
    const other = await s.another();
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 ? other : s.store).webAuthnCredentials.advanceSignCount(s.poolId, p.credentialId, 5, 6 + i, 3000)),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
    const after = await s.store.webAuthnCredentials.find(s.poolId, p.credentialId);
    expect(after).toMatchObject({ signCount: 6 + results.indexOf(true), lastUsedAt: 3000 });
  });

  it('deleting the user deletes their passkeys', async () => {
    const userId = await seedUser(s.db, s.poolId);
    const p = passkey(userId);
    await s.store.webAuthnCredentials.create(p);
    await s.store.users.delete(userId);
    expect(await s.store.webAuthnCredentials.find(s.poolId, p.credentialId)).toBeUndefined();
  });
});
