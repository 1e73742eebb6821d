// The AWS CLI against a running Corral: groups (create-group, admin-add-user-to-group, list-users-in-group, …).
// In CI (CI=true) a missing `aws` is a failure; elsewhere the suite is skipped loudly.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aws, awsIdp } from '../support/awscli.js';
import { signUpConfirmed, startSeeded, type Seeded } from '../support/users.js';

(aws ? describe : describe.skip)('AWS CLI: user pool groups', () => {
  let t: Seeded;
  beforeAll(async () => {
    t = await startSeeded('sqlite');
  });
  afterAll(() => t.stop());

  const cli = (...args: string[]) => awsIdp(t.corral, ...args);
  const failure = (p: Promise<unknown>) =>
    p.then(
      () => '',
      (e: { stderr?: string }) => e.stderr ?? '',
    );

  it("creates a group, adds a user, lists the group's users and the user's groups, removes and deletes", async () => {
    const poolId = t.seed.poolId;
    await signUpConfirmed(t.corral, t.seed, 'rider', 'Unicorn!Ride42', { email: 'rider@example.com' });

    const { Group: g } = await cli(
      'create-group',
      '--user-pool-id',
      poolId,
      '--group-name',
      'riders',
      '--description',
      'Unicorn riders',
      '--role-arn',
      'arn:aws:iam::123456789012:role/Riders',
      '--precedence',
      '1',
    );
    expect(g).toMatchObject({
      GroupName: 'riders',
      UserPoolId: poolId,
      Description: 'Unicorn riders',
      RoleArn: 'arn:aws:iam::123456789012:role/Riders',
      Precedence: 1,
    });
    // the CLI renders the epoch-seconds timestamps as ISO 8601
    expect(Math.abs(new Date(g.CreationDate).getTime() - Date.now())).toBeLessThan(60_000);
    expect(g.LastModifiedDate).toBe(g.CreationDate);

    expect(await failure(cli('create-group', '--user-pool-id', poolId, '--group-name', 'riders'))).toMatch(
      /An error occurred \(GroupExistsException\) when calling the CreateGroup operation( \(reached max retries: 0\))?: A group with the name already exists\./,
    );

    expect(await cli('admin-add-user-to-group', '--user-pool-id', poolId, '--username', 'rider', '--group-name', 'riders')).toEqual({});
    const { Users } = await cli('list-users-in-group', '--user-pool-id', poolId, '--group-name', 'riders');
    expect(Users).toHaveLength(1);
    expect(Users[0]).toMatchObject({ Username: 'rider', Enabled: true, UserStatus: 'CONFIRMED' });
    expect(Users[0].Attributes).toEqual(expect.arrayContaining([{ Name: 'email', Value: 'rider@example.com' }]));

    const { Groups } = await cli('admin-list-groups-for-user', '--user-pool-id', poolId, '--username', 'rider');
    expect(Groups.map((x: { GroupName: string }) => x.GroupName)).toEqual(['riders']);
    expect((await cli('list-groups', '--user-pool-id', poolId)).Groups.map((x: { GroupName: string }) => x.GroupName)).toEqual(['riders']);
    expect((await cli('get-group', '--user-pool-id', poolId, '--group-name', 'riders')).Group).toEqual(g);

    expect(await failure(cli('admin-add-user-to-group', '--user-pool-id', poolId, '--username', 'nobody', '--group-name', 'riders'))).toMatch(
      /An error occurred \(UserNotFoundException\) when calling the AdminAddUserToGroup operation( \(reached max retries: 0\))?: User does not exist\./,
    );

    await cli('admin-remove-user-from-group', '--user-pool-id', poolId, '--username', 'rider', '--group-name', 'riders');
    expect((await cli('list-users-in-group', '--user-pool-id', poolId, '--group-name', 'riders')).Users).toEqual([]);
    await cli('delete-group', '--user-pool-id', poolId, '--group-name', 'riders');
    expect(await failure(cli('get-group', '--user-pool-id', poolId, '--group-name', 'riders'))).toMatch(
      /An error occurred \(ResourceNotFoundException\) when calling the GetGroup operation( \(reached max retries: 0\))?: Group not found\./,
    );
  }, 120_000); // a dozen CLI processes, each ~1–2 s to start
});
