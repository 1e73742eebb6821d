// User pool groups and their members (groups, group_members). Cognito's rules for them are in domain/groups.ts.
// Changes that race are single statements or one transaction: a membership is added only while the group and the
// user exist (one INSERT … SELECT; a concurrent delete makes it a no-op or a refused foreign key, never an orphan),
// an update patches only the columns given, and a group goes with its memberships in one transaction.
import { isUniqueViolation } from './db.js';
import type { GroupsTable } from './schema.js';
import { compiledOnce, count, type Sql } from './sql.js';
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

/** What UpdateGroup changes; members left out keep their stored values. */
export interface GroupChanges {
  description?: string;
  roleArn?: string;
  precedence?: number;
}

/** A page request over names (or username keys) in order: at most `limit`, after `after`. */
export interface PageQuery {
  limit: number;
  after?: string;
}

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

/** True when the error is a refused foreign key (the referenced row is gone), on either database. */
function isForeignKeyViolation(err: unknown): boolean {
  const code = (err as { code?: string } | undefined)?.code;
  return code === '23503' || code === 'SQLITE_CONSTRAINT_FOREIGNKEY';
}

export function groupsRepository({ db }: Sql) {
  const memberOf = (poolId: string, sub: string) =>
    db
      .selectFrom('group_members as m')
      .innerJoin('groups as g', (j) => j.onRef('g.pool_id', '=', 'm.pool_id').onRef('g.name', '=', 'm.group_name'))
      .selectAll('g')
      .where('m.pool_id', '=', poolId)
      .where('m.user_id', '=', sub)
      .orderBy('m.group_name');
  // Every sign-in reads the user's groups for its tokens (compiled once: sql.ts).
  const allOf = compiledOnce(db, memberOf);
  return {
    async find(poolId: string, name: string): Promise<Group | undefined> {
      const row = await db.selectFrom('groups').selectAll().where('pool_id', '=', poolId).where('name', '=', name).executeTakeFirst();
      return row && fromRow(row);
    },

    /** Stores a new group; false when the pool already has a group of that name. */
    async create(group: Group): Promise<boolean> {
      try {
        await db
          .insertInto('groups')
          .values({
            pool_id: group.poolId,
            name: group.name,
            description: group.description,
            role_arn: group.roleArn,
            precedence: group.precedence,
            created_at: group.createdAt,
            updated_at: group.updatedAt,
          })
          .execute();
        return true;
      } catch (err) {
        if (isUniqueViolation(err)) return false;
        throw err;
      }
    },

    /** Sets the members given (one UPDATE … RETURNING); the group as it is now, or undefined when it is gone. */
    async update(poolId: string, name: string, changes: GroupChanges, now: number): Promise<Group | undefined> {
      const row = await db
        .updateTable('groups')
        .set({
          ...(changes.description !== undefined ? { description: changes.description } : {}),
          ...(changes.roleArn !== undefined ? { role_arn: changes.roleArn } : {}),
          ...(changes.precedence !== undefined ? { precedence: changes.precedence } : {}),
          updated_at: now,
        })
        .where('pool_id', '=', poolId)
        .where('name', '=', name)
        .returningAll()
        .executeTakeFirst();
      return row && fromRow(row);
    },

    /** Deletes the group and its memberships in one transaction. False when there was no such group. */
    async delete(poolId: string, name: string): Promise<boolean> {
      return db.transaction().execute(async (tx) => {
        await tx.deleteFrom('group_members').where('pool_id', '=', poolId).where('group_name', '=', name).execute();
        const r = await tx.deleteFrom('groups').where('pool_id', '=', poolId).where('name', '=', name).executeTakeFirst();
        return count(r.numDeletedRows) === 1;
      });
    },

    /** The pool's groups by name. */
    async list(poolId: string, page: PageQuery): Promise<Group[]> {
      let q = db.selectFrom('groups').selectAll().where('pool_id', '=', poolId).orderBy('name').limit(page.limit);
      if (page.after !== undefined) q = q.where('name', '>', page.after);
      return (await q.execute()).map(fromRow);
    },

    /**
     * Makes the user a member of the group, in one statement that reads the group and the user it joins: true when
     * the user is now a member (already being one included), false when the group or the user (of that pool) is gone.
     */
    async addMember(poolId: string, groupName: string, sub: string): Promise<boolean> {
      try {
        const r = await db
          .insertInto('group_members')
          .columns(['pool_id', 'group_name', 'user_id', 'username_key'])
          .expression((eb) =>
            eb
              .selectFrom('groups as g')
              .innerJoin('users as u', 'u.pool_id', 'g.pool_id')
              .select(['g.pool_id', 'g.name', 'u.id', 'u.username_key'])
              .where('g.pool_id', '=', poolId)
              .where('g.name', '=', groupName)
              .where('u.id', '=', sub),
          )
          .onConflict((oc) => oc.columns(['pool_id', 'group_name', 'user_id']).doNothing())
          .executeTakeFirst();
        if (count(r.numInsertedOrUpdatedRows) === 1) return true;
      } catch (err) {
        if (isForeignKeyViolation(err)) return false;
        throw err;
      }
      const member = await db
        .selectFrom('group_members')
        .select('user_id')
        .where('pool_id', '=', poolId)
        .where('group_name', '=', groupName)
        .where('user_id', '=', sub)
        .executeTakeFirst();
      return member !== undefined;
    },

    /** Ends a membership (none is fine). */
    async removeMember(poolId: string, groupName: string, sub: string): Promise<void> {
      await db.deleteFrom('group_members').where('pool_id', '=', poolId).where('group_name', '=', groupName).where('user_id', '=', sub).execute();
    },

    /** The groups the user belongs to, by name (all of them without `page`). */
    async ofUser(poolId: string, sub: string, page?: PageQuery): Promise<Group[]> {
      if (!page) return (await allOf(poolId, sub)).rows.map(fromRow);
      let q = memberOf(poolId, sub).limit(page.limit);
      if (page.after !== undefined) q = q.where('m.group_name', '>', page.after);
      return (await q.execute()).map(fromRow);
    },

    /** The group's members by username key (what `after` names): a range of (pool_id, group_name, username_key). */
    async members(poolId: string, groupName: string, page: PageQuery): Promise<{ usernameKey: string; user: User }[]> {
      let q = db
        .selectFrom('group_members as m')
        .innerJoin('users as u', 'u.id', 'm.user_id')
        .selectAll('u')
        .where('m.pool_id', '=', poolId)
        .where('m.group_name', '=', groupName)
        .orderBy('m.username_key')
        .limit(page.limit);
      if (page.after !== undefined) q = q.where('m.username_key', '>', page.after);
      return (await q.execute()).map((r) => ({ usernameKey: r.username_key, user: userFromRow(r) }));
    },
  };
}

export type GroupsRepository = ReturnType<typeof groupsRepository>;
