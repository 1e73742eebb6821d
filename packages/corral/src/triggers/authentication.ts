// PreAuthentication and PostAuthentication (…_Authentication).
//   preAuthentication: before the password is checked, so a refusal never tells whether the password was right.
//     Throwing denies the sign-in (UserLambdaValidationException "PreAuthentication failed with error …").
//     For a name that matches no user in a client with PreventUserExistenceErrors, Cognito still calls it, with
//     request.userNotFound = true (the function cannot tell a real user's refusal from an unknown one's).
//   postAuthentication: once the user has proven everything, before the tokens are made; throwing fails the sign-in.
import type { Corral } from '../runtime/app.js';
import type { Client, Pool } from '../storage/pools.js';
import type { User } from '../storage/users.js';
import { invokeTrigger } from './invoke.js';
import { userEventAttributes } from './post-confirmation.js';

export async function preAuthentication(app: Corral, pool: Pool, client: Client, user: User | undefined, identifier: string): Promise<void> {
  await invokeTrigger(app, pool, {
    trigger: 'PreAuthentication',
    source: 'PreAuthentication_Authentication',
    userName: user?.username ?? identifier,
    clientId: client.id,
    request: {
      userAttributes: user ? userEventAttributes(user) : {},
      validationData: {},
      ...(user ? {} : { userNotFound: true }),
    },
  });
}

export async function postAuthentication(app: Corral, pool: Pool, client: Client, user: User): Promise<void> {
  await invokeTrigger(app, pool, {
    trigger: 'PostAuthentication',
    source: 'PostAuthentication_Authentication',
    userName: user.username,
    clientId: client.id,
    request: { userAttributes: userEventAttributes(user), newDeviceUsed: false, clientMetadata: {} },
  });
}
