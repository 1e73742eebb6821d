// What the administrator (SigV4) user actions share: naming a user (username, sign-in alias or sub, as Cognito's
// Admin* operations accept), describing a user as UserType / AdminGetUser do, and sending the invitation.
import type { AttributeType, DeliveryMediumType, UserType } from '@aws-sdk/client-cognito-identity-provider';
import { InvalidParameterException, UserNotFoundException } from '../errors.js';
import { deliver } from '../messaging/index.js';
import type { Corral } from '../runtime/app.js';
import type { Pool } from './pools.js';
import { toAttributeList } from './user-attributes.js';
import { findUserBySub, findUserForSignIn, type User } from './users.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The user an Admin* call names: its username, a sign-in alias, or its sub; else UserNotFoundException. */
export async function requireAdminUser(app: Corral, pool: Pool, username: string): Promise<User> {
  const user = (await findUserForSignIn(app, pool, username)) ?? (UUID.test(username) ? await findUserBySub(app, pool.id, username.toLowerCase()) : undefined);
  if (!user) throw new UserNotFoundException('User does not exist.');
  return user;
}

/** A user as UserType describes it (AdminCreateUser, ListUsers); `attributes` limits the attribute list. */
export function describeUser(user: User, attributes?: string[]): UserType {
  const list: AttributeType[] = toAttributeList(user.attributes);
  return {
    Username: user.username,
    Attributes: attributes ? list.filter((a) => attributes.includes(a.Name!)) : list,
    UserCreateDate: new Date(user.createdAt),
    UserLastModifiedDate: new Date(user.updatedAt),
    Enabled: user.enabled,
    UserStatus: user.status,
  };
}

/**
 * Sends the invitation (the pool's InviteMessageTemplate: `{username}`, `{####}` = the temporary password) by each
 * medium asked for. Asked explicitly, a medium the user has no address for is an error; by default the SMS goes
 * to the phone, else the email to the email address, else nothing is sent.
 */
export async function sendInvitation(app: Corral, pool: Pool, user: User, temporaryPassword: string, mediums: DeliveryMediumType[] | undefined): Promise<void> {
  const address = (m: DeliveryMediumType) => (m === 'EMAIL' ? user.attributes.email : user.attributes.phone_number);
  let chosen: DeliveryMediumType[];
  if (mediums?.length) {
    chosen = [...new Set(mediums)].filter((m) => address(m));
    if (!chosen.length) throw new InvalidParameterException('User has no attribute matching desired delivery mediums');
  } else {
    chosen = (['SMS', 'EMAIL'] as const).filter((m) => address(m)).slice(0, 1);
  }
  for (const medium of chosen) {
    await deliver(app, {
      pool,
      poolId: pool.id,
      medium,
      to: address(medium)!,
      kind: 'AdminCreateUser',
      username: user.username,
      user,
      code: temporaryPassword,
    });
  }
}
