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
import { GroupExistsException, ResourceNotFoundException, SerializationException, UserNotFoundException } from '../errors.js';
import type { Corral } from '../runtime/app.js';
import type { Group } from '../storage/groups.js';
import { afterToken, pageToken, type Pool } from './pools.js';
import type { User } from './users.js';

export type { Group } from '../storage/groups.js';

export interface GroupSettings {
  Description?: string;
  RoleArn?: string;
  Precedence?: number;
}

/** Default and maximum page size of the group list operations (QueryLimitType). */
export const MAX_PAGE = 60;
const MAX_PRECEDENCE = 2 ** 31 - 1;

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
  return app.store.groups.find(pool.id, name);
}

export async function requireGroup(app: Corral, pool: Pool, name: string): Promise<Group> {
  const group = await findGroup(app, pool, name);
  if (!group) throw new ResourceNotFoundException('Group not found.');
  return group;
}

export async function createGroup(app: Corral, pool: Pool, name: string, settings: GroupSettings): Promise<Group> {
  checkPrecedence(settings.Precedence);
  const now = app.now();
  const group: Group = {
    poolId: pool.id,
    name,
    description: settings.Description ?? null,
    roleArn: settings.RoleArn ?? null,
    precedence: settings.Precedence ?? null,
    createdAt: now,
    updatedAt: now,
  };
  if (!(await app.store.groups.create(group))) throw new GroupExistsException('A group with the name already exists.');
  return group;
}

/** UpdateGroup: the members given replace the stored ones; those omitted keep their values (a patch of the row). */
export async function updateGroup(app: Corral, group: Group, settings: GroupSettings): Promise<Group> {
  checkPrecedence(settings.Precedence);
  const changes = {
    ...(settings.Description !== undefined ? { description: settings.Description } : {}),
    ...(settings.RoleArn !== undefined ? { roleArn: settings.RoleArn } : {}),
    ...(settings.Precedence !== undefined ? { precedence: settings.Precedence } : {}),
  };
  const updated = await app.store.groups.update(group.poolId, group.name, changes, app.now());
  if (!updated) throw new ResourceNotFoundException('Group not found.');
  return updated;
}

/** DeleteGroup: the group and its memberships, in one transaction. */
export async function deleteGroup(app: Corral, group: Group): Promise<void> {
  await app.store.groups.delete(group.poolId, group.name);
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
  return paged(await app.store.groups.list(pool.id, { limit: max + 1, after }), max, (g) => g.name);
}

function paged<T>(rows: T[], max: number, key: (t: T) => string): Page<T> {
  const items = rows.slice(0, max);
  return rows.length > max ? { items, nextToken: pageToken(key(items[items.length - 1]!)) } : { items };
}

/** AdminAddUserToGroup: adding a member twice succeeds; a group or user deleted meanwhile is not found. */
export async function addMember(app: Corral, group: Group, user: User): Promise<void> {
  if (await app.store.groups.addMember(group.poolId, group.name, user.sub)) return;
  if (!(await app.store.groups.find(group.poolId, group.name))) throw new ResourceNotFoundException('Group not found.');
  throw new UserNotFoundException('User does not exist.');
}

export async function removeMember(app: Corral, group: Group, user: User): Promise<void> {
  await app.store.groups.removeMember(group.poolId, group.name, user.sub);
}

/** AdminListGroupsForUser: the user's groups by name, a page at a time. */
export async function groupsOfUser(app: Corral, user: User, limit: number | undefined, nextToken: string | undefined): Promise<Page<Group>> {
  const max = pageSize(limit);
  const after = afterToken(nextToken);
  return paged(await app.store.groups.ofUser(user.poolId, user.sub, { limit: max + 1, after }), max, (g) => g.name);
}

/** ListUsersInGroup: the group's members, by username, a page at a time. */
export async function membersOf(app: Corral, group: Group, limit: number | undefined, nextToken: string | undefined): Promise<Page<User>> {
  const max = pageSize(limit);
  const after = afterToken(nextToken);
  const rows = await app.store.groups.members(group.poolId, group.name, { limit: max + 1, after });
  const page = paged(rows, max, (r) => r.usernameKey);
  return { ...page, items: page.items.map((r) => r.user) };
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
  return groupClaims(await app.store.groups.ofUser(user.poolId, user.sub));
}
