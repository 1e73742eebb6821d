// PostConfirmation (PostConfirmation_ConfirmSignUp, PostConfirmation_ConfirmForgotPassword): runs once the user is
// confirmed / the new password is set. Its answer is not used; a failure is the caller's error (the confirmation
// itself stands, as in Cognito).
import type { Corral } from '../runtime/app.js';
import type { Pool } from '../storage/pools.js';
import type { User } from '../storage/users.js';
import { eventAttributes, invokeTrigger } from './invoke.js';

export async function postConfirmation(
  app: Corral,
  pool: Pool,
  user: User,
  source: 'PostConfirmation_ConfirmSignUp' | 'PostConfirmation_ConfirmForgotPassword',
  call: { clientId?: string; clientMetadata?: Record<string, string> } = {},
): Promise<void> {
  await invokeTrigger(app, pool, {
    trigger: 'PostConfirmation',
    source,
    userName: user.username,
    clientId: call.clientId,
    request: { userAttributes: userEventAttributes(user), clientMetadata: call.clientMetadata ?? {} },
  });
}

/** A stored user's attributes as triggers see them, with `cognito:user_status`. */
export function userEventAttributes(user: User): Record<string, string> {
  return { ...eventAttributes(user.attributes), 'cognito:user_status': user.status };
}
