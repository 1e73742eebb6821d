// The AWS CLI managing users of a running Corral: admin-create-user, admin-get-user, list-users --filter,
// admin-delete-user (and the invitation it sends).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aws, awsIdp, awsIdpError } from '../support/awscli.js';
import { startTestCorral, type TestCorral } from '../support/corral.js';
import { latestTemporaryPassword } from '../support/invites.js';
import { createWildRydesPool, type SeedPool } from '../support/pools.js';

(aws ? describe : describe.skip)('AWS CLI: users', () => {
  let corral: TestCorral;
  let seed: SeedPool;
  beforeAll(async () => {
    corral = await startTestCorral();
    seed = await createWildRydesPool(corral);
  });
  afterAll(() => corral.stop());

  it('admin-create-user → admin-get-user → list-users --filter → admin-delete-user', async () => {
    const created = (
      await awsIdp(
        corral,
        'admin-create-user',
        '--user-pool-id',
        seed.poolId,
        '--username',
        'cliuser',
        '--user-attributes',
        'Name=email,Value=cliuser@example.com',
        'Name=given_name,Value=Cli',
        '--desired-delivery-mediums',
        'EMAIL',
      )
    ).User;
    expect(created).toMatchObject({ Username: 'cliuser', Enabled: true, UserStatus: 'FORCE_CHANGE_PASSWORD' });
    // The CLI renders epoch-second timestamps as ISO 8601.
    expect(Math.abs(new Date(created.UserCreateDate).getTime() - Date.now())).toBeLessThan(60_000);
    expect(await latestTemporaryPassword(corral, 'cliuser@example.com')).toBeTruthy();
    await awsIdp(
      corral,
      'admin-create-user',
      '--user-pool-id',
      seed.poolId,
      '--username',
      'other',
      '--temporary-password',
      'Temp!Pass42',
      '--message-action',
      'SUPPRESS',
    );

    const got = await awsIdp(corral, 'admin-get-user', '--user-pool-id', seed.poolId, '--username', 'cliuser');
    expect(got).toMatchObject({ Username: 'cliuser', UserStatus: 'FORCE_CHANGE_PASSWORD', Enabled: true });
    expect(got.UserAttributes).toEqual(
      expect.arrayContaining([
        { Name: 'email', Value: 'cliuser@example.com' },
        { Name: 'given_name', Value: 'Cli' },
      ]),
    );

    const filtered = await awsIdp(corral, 'list-users', '--user-pool-id', seed.poolId, '--filter', 'email = "cliuser@example.com"');
    expect(filtered.Users.map((u: { Username: string }) => u.Username)).toEqual(['cliuser']);
    const prefixed = await awsIdp(corral, 'list-users', '--user-pool-id', seed.poolId, '--filter', 'given_name ^= "Cl"', '--attributes-to-get', 'email');
    expect(prefixed.Users).toHaveLength(1);
    expect(prefixed.Users[0].Attributes).toEqual([{ Name: 'email', Value: 'cliuser@example.com' }]);
    // The CLI pages through PaginationToken on its own (--page-size sets Limit).
    const all = await awsIdp(corral, 'list-users', '--user-pool-id', seed.poolId, '--page-size', '1');
    expect(all.Users.map((u: { Username: string }) => u.Username).sort()).toEqual(['cliuser', 'other']);

    await awsIdp(corral, 'admin-delete-user', '--user-pool-id', seed.poolId, '--username', 'cliuser');
    const err = await awsIdpError(corral, 'admin-get-user', '--user-pool-id', seed.poolId, '--username', 'cliuser');
    expect(err).toContain('UserNotFoundException');
    expect(err).toContain('User does not exist.');
    expect((await awsIdp(corral, 'list-users', '--user-pool-id', seed.poolId)).Users).toHaveLength(1);
  });
});
