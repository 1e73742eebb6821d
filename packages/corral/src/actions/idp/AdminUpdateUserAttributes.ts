// AdminUpdateUserAttributes: an administrator changes a user's attributes (a blank value deletes one). It may set
// email_verified / phone_number_verified; a changed email or phone not marked verified becomes unverified and, where
// the pool auto-verifies it, a code is sent to the new value.
import type { AdminUpdateUserAttributesRequest, AdminUpdateUserAttributesResponse } from '@aws-sdk/client-cognito-identity-provider';
import { action } from '../../wire/actions.js';
import { requirePool } from '../../domain/pools.js';
import { requireAdminUser } from '../../domain/admin-users.js';
import { checkAttributeWrite } from '../../domain/user-attributes.js';
import { updateUser } from '../../domain/users.js';
import { sendCode } from '../../domain/verification.js';

export default action<AdminUpdateUserAttributesRequest, AdminUpdateUserAttributesResponse>(async (input, { app }) => {
  const pool = await requirePool(app, input.UserPoolId!);
  const user = await requireAdminUser(app, pool, input.Username!);
  // No client: the administrator is not limited by an app client's WriteAttributes, but immutable stays immutable.
  const changes = checkAttributeWrite(pool, undefined, input.UserAttributes, 'update');
  const toVerify: ('email' | 'phone_number')[] = [];
  // Computed from the user as stored under the row lock: a concurrent update of other attributes is kept.
  const updated = await updateUser(app, pool, user, (fresh) => {
    const set: Record<string, string> = {};
    const remove: string[] = [];
    toVerify.length = 0;
    for (const [name, value] of Object.entries(changes)) {
      if (value !== '') set[name] = value;
      else remove.push(name, ...(name === 'email' || name === 'phone_number' ? [`${name}_verified`] : []));
    }
    for (const a of ['email', 'phone_number'] as const) {
      if (!(a in changes) || changes[a] === '' || changes[a] === fresh.attributes[a]) continue;
      if (changes[`${a}_verified`] === undefined) {
        set[`${a}_verified`] = 'false';
        toVerify.push(a);
      }
    }
    return { set, remove };
  });
  const auto = pool.settings.AutoVerifiedAttributes ?? [];
  for (const a of toVerify) {
    if (auto.includes(a) && updated.attributes[a]) await sendCode(app, pool, updated, a, `verify_${a}`, 'UpdateUserAttribute');
  }
  return {};
});
