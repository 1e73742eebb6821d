// AdminCreateUser: an administrator creates a user with a temporary password (given, or generated to meet the
// policy) in FORCE_CHANGE_PASSWORD, and invites it (InviteMessageTemplate) unless SUPPRESS; RESEND sends a new
// temporary password to an existing FORCE_CHANGE_PASSWORD user and restarts its validity.
import type { AdminCreateUserRequest, AdminCreateUserResponse } from '@aws-sdk/client-cognito-identity-provider';
import { action } from '../../wire/actions.js';
import { UnsupportedUserStateException, UsernameExistsException } from '../../errors.js';
import { requirePool } from '../../domain/pools.js';
import { describeUser, requireAdminUser, sendInvitation } from '../../domain/admin-users.js';
import { checkPassword as checkPasswordPolicy } from '../../domain/password-policy.js';
import { checkAttributeWrite } from '../../domain/user-attributes.js';
import { resolveSignUpName } from '../../domain/signup-rules.js';
import { generateTemporaryPassword, setTemporaryPassword, startTemporaryPasswordValidity } from '../../domain/temporary-password.js';
import { passwordCredentials } from '../../domain/passwords.js';
import { checkAliasesFree, createUser, deleteUser } from '../../domain/users.js';
import { InvalidParameterException } from '../../errors.js';
import { preSignUp } from '../../triggers/index.js';
import { randomUUID } from 'node:crypto';

export default action<AdminCreateUserRequest, AdminCreateUserResponse>(async (input, { app }) => {
  const pool = await requirePool(app, input.UserPoolId!);
  const policy = pool.settings.Policies?.PasswordPolicy;
  if (input.TemporaryPassword) checkPasswordPolicy(policy, input.TemporaryPassword);
  const temporaryPassword = input.TemporaryPassword || generateTemporaryPassword(pool);

  if (input.MessageAction === 'RESEND') {
    const existing = await requireAdminUser(app, pool, input.Username!);
    if (existing.status !== 'FORCE_CHANGE_PASSWORD')
      throw new UnsupportedUserStateException(`Resend not possible. ${existing.username} status is not FORCE_CHANGE_PASSWORD.`);
    const user = await setTemporaryPassword(app, pool, existing, temporaryPassword);
    await sendInvitation(app, pool, user, temporaryPassword, input.DesiredDeliveryMediums);
    return { User: describeUser(user) };
  }

  const written = checkAttributeWrite(pool, undefined, input.UserAttributes, 'admin');
  const name = resolveSignUpName(pool, input.Username!, written);
  for (const a of ['email', 'phone_number'] as const) {
    if (name.attributes[`${a}_verified`] === 'true' && !name.attributes[a]) {
      throw new InvalidParameterException(`${a === 'email' ? 'Email' : 'Phone number'} is required to set ${a}_verified to true.`);
    }
  }
  const sub = randomUUID();
  const pre = await preSignUp(app, pool, {
    source: 'PreSignUp_AdminCreateUser',
    userName: name.username ?? sub,
    attributes: name.attributes,
    validationData: input.ValidationData,
    clientMetadata: input.ClientMetadata,
  });
  name.attributes = pre.attributes;
  // In an alias pool, a verified email/phone that is another account's alias: AliasExistsException, unless
  // ForceAliasCreation moves it. (In a UsernameAttributes pool the email/phone is the name: createUser refuses it.)
  const aliasPool = !pool.settings.UsernameAttributes?.length;
  if (aliasPool && !input.ForceAliasCreation) await checkAliasesFree(app, pool, sub, name.attributes);
  const username = name.username ?? sub;
  // The user, its aliases and its temporary password in one transaction.
  const credentials = passwordCredentials(app, pool, username, temporaryPassword);
  const newUser = { sub, username, status: 'FORCE_CHANGE_PASSWORD' as const, attributes: name.attributes, ...credentials };
  const user = await createUser(app, pool, newUser, { aliases: true, forceAlias: input.ForceAliasCreation ?? false }).catch((err: unknown) => {
    if (err instanceof UsernameExistsException && err.message === 'User already exists') throw new UsernameExistsException('User account already exists');
    throw err;
  });
  try {
    await startTemporaryPasswordValidity(app, pool, user);
    if (input.MessageAction !== 'SUPPRESS') await sendInvitation(app, pool, user, temporaryPassword, input.DesiredDeliveryMediums);
  } catch (err) {
    await deleteUser(app, user);
    throw err;
  }
  return { User: describeUser(user) };
});
