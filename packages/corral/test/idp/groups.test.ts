// User pool groups over real HTTP with the AWS SDK v3, on both databases: the nine group actions with Cognito's
// shapes and errors, the group claims of tokens after sign-in and after refresh, and what deletions take along.
import {
  AdminAddUserToGroupCommand,
  AdminDeleteUserCommand,
  AdminListGroupsForUserCommand,
  AdminRemoveUserFromGroupCommand,
  CreateGroupCommand,
  DeleteGroupCommand,
  DeleteUserCommand,
  DeleteUserPoolCommand,
  GetGroupCommand,
  GetTokensFromRefreshTokenCommand,
  InitiateAuthCommand,
  ListGroupsCommand,
  ListUsersInGroupCommand,
  UpdateGroupCommand,
  paginateListGroups,
  type GroupType,
} from '@aws-sdk/client-cognito-identity-provider';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachBackend } from '../support/corral.js';
import { createWildRydesPool } from '../support/pools.js';
import { signUpConfirmed, startSeeded, type Seeded } from '../support/users.js';

const PASSWORD = 'Unicorn!Ride42';
const ROLE = (name: string) => `arn:aws:iam::123456789012:role/${name}`;

describeEachBackend('user pool groups', (backend) => {
  let t: Seeded;
  beforeAll(async () => {
    t = await startSeeded(backend);
  });
  afterAll(() => t.stop());

  const idp = () => t.corral.idp;
  const pool = () => t.seed.poolId;
  const create = (GroupName: string, extra: Partial<GroupType> = {}) => idp().send(new CreateGroupCommand({ UserPoolId: pool(), GroupName, ...extra }));
  const add = (Username: string, GroupName: string) => idp().send(new AdminAddUserToGroupCommand({ UserPoolId: pool(), Username, GroupName }));
  const remove = (Username: string, GroupName: string) => idp().send(new AdminRemoveUserFromGroupCommand({ UserPoolId: pool(), Username, GroupName }));
  const signIn = async (USERNAME: string) =>
    (await t.pub.send(new InitiateAuthCommand({ ClientId: t.seed.clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME, PASSWORD } })))
      .AuthenticationResult!;
  const refresh = async (REFRESH_TOKEN: string) =>
    (await t.pub.send(new InitiateAuthCommand({ ClientId: t.seed.clientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN } })))
      .AuthenticationResult!;

  it('CreateGroup / GetGroup answer GroupType with dates; a taken name is GroupExistsException', async () => {
    const before = Date.now();
    const { Group: g } = await create('riders', { Description: 'Unicorn riders', RoleArn: ROLE('Riders'), Precedence: 5 });
    expect(g).toEqual({
      GroupName: 'riders',
      UserPoolId: pool(),
      Description: 'Unicorn riders',
      RoleArn: ROLE('Riders'),
      Precedence: 5,
      LastModifiedDate: g!.CreationDate,
      CreationDate: expect.any(Date),
    });
    expect(Math.abs(g!.CreationDate!.getTime() - before)).toBeLessThan(10_000);
    expect((await idp().send(new GetGroupCommand({ UserPoolId: pool(), GroupName: 'riders' }))).Group).toEqual(g);

    // Optional members are absent, not null.
    const { Group: bare } = await create('bare');
    expect(Object.keys(bare!).sort()).toEqual(['CreationDate', 'GroupName', 'LastModifiedDate', 'UserPoolId']);

    await expect(create('riders')).rejects.toMatchObject({ name: 'GroupExistsException', message: 'A group with the name already exists.' });
    // Names are case-sensitive.
    await expect(create('Riders')).resolves.toBeDefined();
  });

  it('answers unknown groups and pools, and invalid input, with Cognito errors', async () => {
    await expect(idp().send(new GetGroupCommand({ UserPoolId: pool(), GroupName: 'nope' }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
      message: 'Group not found.',
    });
    for (const cmd of [
      new UpdateGroupCommand({ UserPoolId: pool(), GroupName: 'nope', Description: 'x' }),
      new DeleteGroupCommand({ UserPoolId: pool(), GroupName: 'nope' }),
      new ListUsersInGroupCommand({ UserPoolId: pool(), GroupName: 'nope' }),
    ]) {
      await expect(idp().send(cmd as never)).rejects.toMatchObject({ name: 'ResourceNotFoundException', message: 'Group not found.' });
    }
    await expect(idp().send(new GetGroupCommand({ UserPoolId: 'us-east-1_nosuchpoo', GroupName: 'riders' }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
      message: 'User pool us-east-1_nosuchpoo does not exist.',
    });
    await expect(create('negative', { Precedence: -1 })).rejects.toMatchObject({
      name: 'InvalidParameterException',
      message: "1 validation error detected: Value '-1' at 'precedence' failed to satisfy constraint: Member must have value greater than or equal to 0",
    });
    await expect(create('badrole', { RoleArn: 'not-an-arn-at-all-really' })).rejects.toMatchObject({ name: 'InvalidParameterException' });
    await expect(idp().send(new ListGroupsCommand({ UserPoolId: pool(), Limit: 61 }))).rejects.toMatchObject({
      name: 'InvalidParameterException',
      message: "1 validation error detected: Value '61' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 60",
    });
    await expect(idp().send(new ListGroupsCommand({ UserPoolId: pool(), NextToken: 'garbage' }))).rejects.toMatchObject({
      name: 'InvalidParameterException',
    });
  });

  it('UpdateGroup changes the members given and keeps the others', async () => {
    const { Group: g } = await create('editors', { Description: 'Editors', RoleArn: ROLE('Editors'), Precedence: 3 });
    await new Promise((r) => setTimeout(r, 20));
    const { Group: u } = await idp().send(new UpdateGroupCommand({ UserPoolId: pool(), GroupName: 'editors', Precedence: 1 }));
    expect(u).toMatchObject({ GroupName: 'editors', Description: 'Editors', RoleArn: ROLE('Editors'), Precedence: 1, CreationDate: g!.CreationDate });
    expect(u!.LastModifiedDate!.getTime()).toBeGreaterThan(g!.LastModifiedDate!.getTime());
    const { Group: u2 } = await idp().send(
      new UpdateGroupCommand({ UserPoolId: pool(), GroupName: 'editors', Description: 'Copy editors', RoleArn: ROLE('Copy') }),
    );
    expect(u2).toMatchObject({ Description: 'Copy editors', RoleArn: ROLE('Copy'), Precedence: 1 });
    expect((await idp().send(new GetGroupCommand({ UserPoolId: pool(), GroupName: 'editors' }))).Group).toEqual(u2);
  });

  it('ListGroups pages with Limit and NextToken (and the SDK paginator walks them all)', async () => {
    const seed = await createWildRydesPool(t.corral, { PoolName: 'Paging' });
    const names = ['g1', 'g2', 'g3', 'g4', 'g5'];
    for (const GroupName of names) await idp().send(new CreateGroupCommand({ UserPoolId: seed.poolId, GroupName }));
    const first = await idp().send(new ListGroupsCommand({ UserPoolId: seed.poolId, Limit: 2 }));
    expect(first.Groups!.map((g) => g.GroupName)).toEqual(['g1', 'g2']);
    expect(first.Groups![0]).toMatchObject({ UserPoolId: seed.poolId, CreationDate: expect.any(Date) });
    expect(first.NextToken).toBeTruthy();
    const second = await idp().send(new ListGroupsCommand({ UserPoolId: seed.poolId, Limit: 2, NextToken: first.NextToken }));
    expect(second.Groups!.map((g) => g.GroupName)).toEqual(['g3', 'g4']);
    const third = await idp().send(new ListGroupsCommand({ UserPoolId: seed.poolId, Limit: 2, NextToken: second.NextToken }));
    expect(third.Groups!.map((g) => g.GroupName)).toEqual(['g5']);
    expect(third.NextToken).toBeUndefined();

    const all: string[] = [];
    for await (const page of paginateListGroups({ client: idp(), pageSize: 3 }, { UserPoolId: seed.poolId })) {
      all.push(...page.Groups!.map((g) => g.GroupName!));
    }
    expect(all).toEqual(names);
    const whole = await idp().send(new ListGroupsCommand({ UserPoolId: seed.poolId }));
    expect(whole.Groups).toHaveLength(5);
    expect(whole.NextToken).toBeUndefined();
    // Groups of other pools are not listed.
    expect(whole.Groups!.map((g) => g.GroupName)).not.toContain('riders');
  });

  it("adds and removes members; lists a user's groups and a group's users", async () => {
    await signUpConfirmed(t.corral, t.seed, 'alice', PASSWORD, { email: 'alice@example.com' });
    await signUpConfirmed(t.corral, t.seed, 'bob', PASSWORD, { email: 'bob@example.com' });
    await create('crew', { Precedence: 9 });
    await add('alice', 'crew');
    await add('alice', 'crew'); // a second add changes nothing
    await add('bob@example.com', 'crew'); // a verified alias names the user
    await add('alice', 'bare');

    const listed = await idp().send(new ListUsersInGroupCommand({ UserPoolId: pool(), GroupName: 'crew' }));
    expect(listed.Users!.map((u) => u.Username)).toEqual(['alice', 'bob']);
    const alice = listed.Users![0]!;
    expect(alice).toMatchObject({
      Username: 'alice',
      Enabled: true,
      UserStatus: 'CONFIRMED',
      UserCreateDate: expect.any(Date),
      UserLastModifiedDate: expect.any(Date),
    });
    expect(alice.Attributes).toEqual(
      expect.arrayContaining([
        { Name: 'email', Value: 'alice@example.com' },
        { Name: 'sub', Value: expect.stringMatching(/^[0-9a-f-]{36}$/) },
      ]),
    );
    const page = await idp().send(new ListUsersInGroupCommand({ UserPoolId: pool(), GroupName: 'crew', Limit: 1 }));
    expect(page.Users!.map((u) => u.Username)).toEqual(['alice']);
    const rest = await idp().send(new ListUsersInGroupCommand({ UserPoolId: pool(), GroupName: 'crew', Limit: 1, NextToken: page.NextToken }));
    expect(rest.Users!.map((u) => u.Username)).toEqual(['bob']);
    expect(rest.NextToken).toBeUndefined();

    const groups = await idp().send(new AdminListGroupsForUserCommand({ UserPoolId: pool(), Username: 'alice' }));
    expect(groups.Groups!.map((g) => g.GroupName)).toEqual(['bare', 'crew']);
    expect(groups.Groups![1]).toEqual((await idp().send(new GetGroupCommand({ UserPoolId: pool(), GroupName: 'crew' }))).Group);
    const one = await idp().send(new AdminListGroupsForUserCommand({ UserPoolId: pool(), Username: 'alice', Limit: 1 }));
    expect(one.Groups!.map((g) => g.GroupName)).toEqual(['bare']);
    expect(one.NextToken).toBeTruthy();

    await remove('alice', 'crew');
    await remove('alice', 'crew'); // not a member any more: still fine
    expect((await idp().send(new ListUsersInGroupCommand({ UserPoolId: pool(), GroupName: 'crew' }))).Users!.map((u) => u.Username)).toEqual(['bob']);
    expect((await idp().send(new AdminListGroupsForUserCommand({ UserPoolId: pool(), Username: 'alice' }))).Groups!.map((g) => g.GroupName)).toEqual(['bare']);

    await expect(add('nobody', 'crew')).rejects.toMatchObject({ name: 'UserNotFoundException', message: 'User does not exist.' });
    await expect(remove('nobody', 'crew')).rejects.toMatchObject({ name: 'UserNotFoundException', message: 'User does not exist.' });
    await expect(idp().send(new AdminListGroupsForUserCommand({ UserPoolId: pool(), Username: 'nobody' }))).rejects.toMatchObject({
      name: 'UserNotFoundException',
      message: 'User does not exist.',
    });
    await expect(add('alice', 'nope')).rejects.toMatchObject({ name: 'ResourceNotFoundException', message: 'Group not found.' });
    await expect(remove('alice', 'nope')).rejects.toMatchObject({ name: 'ResourceNotFoundException', message: 'Group not found.' });
  });

  it('tokens carry cognito:groups by precedence, cognito:roles and cognito:preferred_role; refresh follows membership', async () => {
    await signUpConfirmed(t.corral, t.seed, 'carol', PASSWORD, { email: 'carol@example.com' });
    // No groups: no group claims at all.
    const plain = await signIn('carol');
    expect(decodeJwt(plain.IdToken!)).not.toHaveProperty('cognito:groups');
    expect(decodeJwt(plain.IdToken!)).not.toHaveProperty('cognito:roles');
    expect(decodeJwt(plain.IdToken!)).not.toHaveProperty('cognito:preferred_role');
    expect(decodeJwt(plain.AccessToken!)).not.toHaveProperty('cognito:groups');

    await create('tk-admins', { Precedence: 1, RoleArn: ROLE('Admins') });
    await create('tk-riders', { Precedence: 2, RoleArn: ROLE('Riders') });
    await create('tk-beta', {}); // no precedence, no role
    await create('tk-alpha', {}); // no precedence, no role: after tk-riders, before tk-beta by name
    for (const g of ['tk-beta', 'tk-riders', 'tk-alpha', 'tk-admins']) await add('carol', g);

    const r = await signIn('carol');
    const id = decodeJwt(r.IdToken!);
    expect(id['cognito:groups']).toEqual(['tk-admins', 'tk-riders', 'tk-alpha', 'tk-beta']);
    expect(id['cognito:roles']).toEqual([ROLE('Admins'), ROLE('Riders')]);
    expect(id['cognito:preferred_role']).toBe(ROLE('Admins'));
    const access = decodeJwt(r.AccessToken!);
    expect(access['cognito:groups']).toEqual(['tk-admins', 'tk-riders', 'tk-alpha', 'tk-beta']);
    expect(access).not.toHaveProperty('cognito:roles');
    expect(access).not.toHaveProperty('cognito:preferred_role');

    // Removing carol from the admins changes the next refresh (both refresh APIs).
    await remove('carol', 'tk-admins');
    const r2 = await refresh(r.RefreshToken!);
    const id2 = decodeJwt(r2.IdToken!);
    expect(id2['cognito:groups']).toEqual(['tk-riders', 'tk-alpha', 'tk-beta']);
    expect(id2['cognito:roles']).toEqual([ROLE('Riders')]);
    expect(id2['cognito:preferred_role']).toBe(ROLE('Riders'));
    expect(decodeJwt(r2.AccessToken!)['cognito:groups']).toEqual(['tk-riders', 'tk-alpha', 'tk-beta']);
    expect(id2.origin_jti).toBe(id.origin_jti);

    // A group tied at the top precedence with a different role: no preferred role (both roles listed).
    await create('tk-ops', { Precedence: 2, RoleArn: ROLE('Ops') });
    await add('carol', 'tk-ops');
    const r3 = (await t.pub.send(new GetTokensFromRefreshTokenCommand({ ClientId: t.seed.clientId, RefreshToken: r.RefreshToken! }))).AuthenticationResult!;
    const id3 = decodeJwt(r3.IdToken!);
    expect(id3['cognito:groups']).toEqual(['tk-ops', 'tk-riders', 'tk-alpha', 'tk-beta']);
    expect(id3['cognito:roles']).toEqual([ROLE('Ops'), ROLE('Riders')]);
    expect(id3).not.toHaveProperty('cognito:preferred_role');

    // Tied with the same role: that role is preferred.
    await idp().send(new UpdateGroupCommand({ UserPoolId: pool(), GroupName: 'tk-ops', RoleArn: ROLE('Riders') }));
    const id4 = decodeJwt((await refresh(r.RefreshToken!)).IdToken!);
    expect(id4['cognito:roles']).toEqual([ROLE('Riders')]);
    expect(id4['cognito:preferred_role']).toBe(ROLE('Riders'));

    // A deleted group leaves the tokens.
    await idp().send(new DeleteGroupCommand({ UserPoolId: pool(), GroupName: 'tk-ops' }));
    await idp().send(new DeleteGroupCommand({ UserPoolId: pool(), GroupName: 'tk-riders' }));
    const id5 = decodeJwt((await refresh(r.RefreshToken!)).IdToken!);
    expect(id5['cognito:groups']).toEqual(['tk-alpha', 'tk-beta']);
    expect(id5).not.toHaveProperty('cognito:roles');
    expect(id5).not.toHaveProperty('cognito:preferred_role');
    await expect(idp().send(new GetGroupCommand({ UserPoolId: pool(), GroupName: 'tk-ops' }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    const left = await t.corral.app.db.selectFrom('group_members').select('group_name').where('group_name', 'in', ['tk-ops', 'tk-riders']).execute();
    expect(left).toEqual([]);
  });

  it('only groups without a precedence have roles: they tie, so one role is preferred and two are not', async () => {
    await signUpConfirmed(t.corral, t.seed, 'dave', PASSWORD, { email: 'dave@example.com' });
    await create('np-one', { RoleArn: ROLE('One') });
    await create('np-ranked', { Precedence: 0 }); // ranked first, but has no role
    await add('dave', 'np-one');
    await add('dave', 'np-ranked');
    const id = decodeJwt((await signIn('dave')).IdToken!);
    expect(id['cognito:groups']).toEqual(['np-ranked', 'np-one']);
    expect(id['cognito:roles']).toEqual([ROLE('One')]);
    expect(id['cognito:preferred_role']).toBe(ROLE('One'));
    await create('np-two', { RoleArn: ROLE('Two') });
    await add('dave', 'np-two');
    const id2 = decodeJwt((await signIn('dave')).IdToken!);
    expect(id2['cognito:roles']).toEqual([ROLE('One'), ROLE('Two')]);
    expect(id2).not.toHaveProperty('cognito:preferred_role');
  });

  it('a deleted user leaves its groups; a deleted pool takes its groups and memberships', async () => {
    await signUpConfirmed(t.corral, t.seed, 'erin', PASSWORD, { email: 'erin@example.com' });
    await create('leavers');
    await add('erin', 'leavers');
    const { AccessToken } = await signIn('erin');
    await signUpConfirmed(t.corral, t.seed, 'gina', PASSWORD, { email: 'gina@example.com' });
    await add('gina', 'leavers');
    await t.pub.send(new DeleteUserCommand({ AccessToken }));
    expect((await idp().send(new ListUsersInGroupCommand({ UserPoolId: pool(), GroupName: 'leavers' }))).Users!.map((u) => u.Username)).toEqual(['gina']);
    await idp().send(new AdminDeleteUserCommand({ UserPoolId: pool(), Username: 'gina' }));
    expect((await idp().send(new ListUsersInGroupCommand({ UserPoolId: pool(), GroupName: 'leavers' }))).Users).toEqual([]);

    const other = await createWildRydesPool(t.corral, { PoolName: 'Doomed' });
    await signUpConfirmed(t.corral, other, 'frank', PASSWORD, { email: 'frank@example.com' });
    await idp().send(new CreateGroupCommand({ UserPoolId: other.poolId, GroupName: 'doomed' }));
    await idp().send(new AdminAddUserToGroupCommand({ UserPoolId: other.poolId, Username: 'frank', GroupName: 'doomed' }));
    await idp().send(new DeleteUserPoolCommand({ UserPoolId: other.poolId }));
    const db = t.corral.app.db;
    expect(await db.selectFrom('groups').selectAll().where('pool_id', '=', other.poolId).execute()).toEqual([]);
    expect(await db.selectFrom('group_members').selectAll().where('pool_id', '=', other.poolId).execute()).toEqual([]);
  });
});
