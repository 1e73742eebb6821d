// User pool groups: the groups of a pool, their members, and what membership puts in tokens.
//
// Rules (the API reference's, for CreateGroup/UpdateGroup Precedence):
// - A group name is unique in its pool (exact, case-sensitive); a second one is GroupExistsException.
// - Precedence: 0 is the highest; a lower number wins; a group without one (null) ranks below every number.
// - Tokens: `cognito:groups` lists the user's groups by precedence, then name. `cognito:roles` lists the distinct
//   role ARNs of those groups, in that order. `cognito:preferred_role` is the role of the highest-precedence group
//   that has a role; when several groups share that precedence (nulls count as one rank) and their roles differ,
//   no preferred role is set; when they share the role, it is.
// - Missing groups are ResourceNotFoundException "Group not found."; adding a member twice or removing a
//   non-member succeeds.
// Memberships go with the user, the group and the pool (foreign keys cascade; deleteGroup also deletes them).
import type { GroupType } from '@aws-sdk/client-cognito-identity-provider';
import { GroupExistsException, ResourceNotFoundException, SerializationException } from '../errors.js';
import type { Corral } from '../runtime/app.js';
import { isUniqueViolation } from '../storage/db.js';
import type { GroupsTable } from '../storage/migrations/0007_groups.js';
import { afterToken, pageToken, type Pool } from './pools.js';
import { fromRow as userFromRow, type User } from './users.js';

export interface Group {
  poolId: string;
  name: string;
  description: string | null;
  roleArn: string | null;
  precedence: number | null;
  createdAt: number;
  updatedAt: number;
}

export interface GroupSettings {
  Description?: string;
  RoleArn?: string;
  Precedence?: number;
}

/** Default and maximum page size of the group list operations (QueryLimitType). */
export const MAX_PAGE = 60;
const MAX_PRECEDENCE = 2 ** 31 - 1;

function fromRow(r: GroupsTable): Group {
  return {
    poolId: r.pool_id,
    name: r.name,
    description: r.description,
    roleArn: r.role_arn,
    precedence: r.precedence === null ? null : Number(r.precedence),
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
  };
}

/** The group as the API describes it (GroupType); absent members are omitted, dates are Dates. */
export function groupType(g: Group): GroupType {
  return {
    GroupName: g.name,
    UserPoolId: g.poolId,
    ...(g.description !== null ? { Description: g.description } : {}),
    ...(g.roleArn !== null ? { RoleArn: g.roleArn } : {}),
    ...(g.precedence !== null ? { Precedence: g.precedence } : {}),
    LastModifiedDate: new Date(g.updatedAt),
    CreationDate: new Date(g.createdAt),
  };
}

function checkPrecedence(precedence: number | undefined): void {
  // The model bounds it below only; the service's integer is 32-bit.
  if (precedence !== undefined && precedence > MAX_PRECEDENCE) throw new SerializationException('NUMBER_VALUE can not be converted to an Integer');
}

export async function findGroup(app: Corral, pool: Pool, name: string): Promise<Group | undefined> {
  const row = await app.db.selectFrom('groups').selectAll().where('pool_id', '=', pool.id).where('name', '=', name).executeTakeFirst();
  return row && fromRow(row);
}

export async function requireGroup(app: Corral, pool: Pool, name: string): Promise<Group> {
  const group = await findGroup(app, pool, name);
  if (!group) throw new ResourceNotFoundException('Group not found.');
  return group;
}

export async function createGroup(app: Corral, pool: Pool, name: string, settings: GroupSettings): Promise<Group> {
  checkPrecedence(settings.Precedence);
  const now = app.now();
  const row: GroupsTable = {
    pool_id: pool.id,
    name,
    description: settings.Description ?? null,
    role_arn: settings.RoleArn ?? null,
    precedence: settings.Precedence ?? null,
    created_at: now,
    updated_at: now,
  };
  try {
    await app.db.insertInto('groups').values(row).execute();
  } catch (err) {
    if (isUniqueViolation(err)) throw new GroupExistsException('A group with the name already exists.');
    throw err;
  }
  return fromRow(row);
}

/** UpdateGroup: the members given replace the stored ones; those omitted keep their values. */
export async function updateGroup(app: Corral, group: Group, settings: GroupSettings): Promise<Group> {
  checkPrecedence(settings.Precedence);
  const updated: Group = {
    ...group,
    description: settings.Description ?? group.description,
    roleArn: settings.RoleArn ?? group.roleArn,
    precedence: settings.Precedence ?? group.precedence,
    updatedAt: app.now(),
  };
  const r = await app.db
    .updateTable('groups')
    .set({ description: updated.description, role_arn: updated.roleArn, precedence: updated.precedence, updated_at: updated.updatedAt })
    .where('pool_id', '=', group.poolId)
    .where('name', '=', group.name)
    .executeTakeFirst();
  if (Number(r.numUpdatedRows) === 0) throw new ResourceNotFoundException('Group not found.');
  return updated;
}

export async function deleteGroup(app: Corral, group: Group): Promise<void> {
  await app.db.transaction().execute(async (tx) => {
    await tx.deleteFrom('group_members').where('pool_id', '=', group.poolId).where('group_name', '=', group.name).execute();
    await tx.deleteFrom('groups').where('pool_id', '=', group.poolId).where('name', '=', group.name).execute();
  });
}

export interface Page<T> {
  items: T[];
  nextToken?: string;
}

function pageSize(limit: number | undefined): number {
  return limit || MAX_PAGE;
}

/** ListGroups: the pool's groups by name, `limit` (0 or none: 60) at a time. */
export async function listGroups(app: Corral, pool: Pool, limit: number | undefined, nextToken: string | undefined): Promise<Page<Group>> {
  const max = pageSize(limit);
  const after = afterToken(nextToken);
  let q = app.db.selectFrom('groups').selectAll().where('pool_id', '=', pool.id).orderBy('name').limit(max + 1);
  if (after !== undefined) q = q.where('name', '>', after);
  return paged((await q.execute()).map(fromRow), max, (g) => g.name);
}

function paged<T>(rows: T[], max: number, key: (t: T) => string): Page<T> {
  const items = rows.slice(0, max);
  return rows.length > max ? { items, nextToken: pageToken(key(items[items.length - 1]!)) } : { items };
}

export async function addMember(app: Corral, group: Group, user: User): Promise<void> {
  await app.db
    .insertInto('group_members')
    .values({ pool_id: group.poolId, group_name: group.name, user_id: user.sub })
    .onConflict((oc) => oc.columns(['pool_id', 'group_name', 'user_id']).doNothing())
    .execute();
}

export async function removeMember(app: Corral, group: Group, user: User): Promise<void> {
  await app.db
    .deleteFrom('group_members')
    .where('pool_id', '=', group.poolId)
    .where('group_name', '=', group.name)
    .where('user_id', '=', user.sub)
    .execute();
}

/** AdminListGroupsForUser: the user's groups by name, a page at a time. */
export async function groupsOfUser(app: Corral, user: User, limit: number | undefined, nextToken: string | undefined): Promise<Page<Group>> {
  const max = pageSize(limit);
  const after = afterToken(nextToken);
  let q = app.db
    .selectFrom('group_members as m')
    .innerJoin('groups as g', (j) => j.onRef('g.pool_id', '=', 'm.pool_id').onRef('g.name', '=', 'm.group_name'))
    .selectAll('g')
    .where('m.pool_id', '=', user.poolId)
    .where('m.user_id', '=', user.sub)
    .orderBy('g.name')
    .limit(max + 1);
  if (after !== undefined) q = q.where('g.name', '>', after);
  return paged((await q.execute()).map(fromRow), max, (g) => g.name);
}

/** ListUsersInGroup: the group's members, by username, a page at a time. */
export async function membersOf(app: Corral, group: Group, limit: number | undefined, nextToken: string | undefined): Promise<Page<User>> {
  const max = pageSize(limit);
  const after = afterToken(nextToken);
  let q = app.db
    .selectFrom('group_members as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .selectAll('u')
    .where('m.pool_id', '=', group.poolId)
    .where('m.group_name', '=', group.name)
    .orderBy('u.username_key')
    .limit(max + 1);
  if (after !== undefined) q = q.where('u.username_key', '>', after);
  const rows = await q.execute();
  const page = paged(rows, max, (r) => r.username_key);
  return { ...page, items: page.items.map(userFromRow) };
}

/** Orders groups as tokens list them: by precedence (null last), then name. */
export function byPrecedence(a: Group, b: Group): number {
  if (a.precedence !== b.precedence) {
    if (a.precedence === null) return 1;
    if (b.precedence === null) return -1;
    return a.precedence - b.precedence;
  }
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

export interface TokenGroups {
  groups: string[];
  roles: string[];
  preferredRole?: string;
}

/** The group claims of a set of groups (see the rules at the top). */
export function groupClaims(groups: Group[]): TokenGroups {
  const ordered = [...groups].sort(byPrecedence);
  const withRole = ordered.filter((g) => g.roleArn !== null);
  const roles = [...new Set(withRole.map((g) => g.roleArn!))];
  const top = withRole.filter((g) => g.precedence === withRole[0]?.precedence);
  const topRoles = new Set(top.map((g) => g.roleArn!));
  return {
    groups: ordered.map((g) => g.name),
    roles,
    ...(topRoles.size === 1 ? { preferredRole: [...topRoles][0]! } : {}),
  };
}

/** What a user's tokens say about its groups: `{ groups, roles, preferredRole }` for mintTokens. */
export async function tokenGroups(app: Corral, user: { poolId: string; sub: string }): Promise<TokenGroups> {
  const rows = await app.db
    .selectFrom('group_members as m')
    .innerJoin('groups as g', (j) => j.onRef('g.pool_id', '=', 'm.pool_id').onRef('g.name', '=', 'm.group_name'))
    .selectAll('g')
    .where('m.pool_id', '=', user.poolId)
    .where('m.user_id', '=', user.sub)
    .execute();
  return groupClaims(rows.map(fromRow));
}
