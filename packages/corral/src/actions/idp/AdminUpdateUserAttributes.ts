// AdminUpdateUserAttributes: an administrator changes a user's attributes (a blank value deletes one). It may set
// email_verified / phone_number_verified; a changed email or phone not marked verified becomes unverified and,
// where the pool auto-verifies it, a code is sent to the new value. Where the pool requires verification before
// update (UserAttributeUpdateSettings), a new email/phone not marked verified waits for the user's VerifyUserAttribute
// and the old value stays; marking it verified applies it at once (domain/pending-attributes.ts).
import type { AdminUpdateUserAttributesRequest, AdminUpdateUserAttributesResponse } from '@aws-sdk/client-cognito-identity-provider';
import { action } from '../../wire/actions.js';
import { requirePool } from '../../domain/pools.js';
import { requireAdminUser } from '../../domain/admin-users.js';
import { adminUpdate, withPending, type AttributeUpdate } from '../../domain/pending-attributes.js';
import { checkAttributeWrite } from '../../domain/user-attributes.js';
import { updateUser } from '../../domain/users.js';
import { sendCode } from '../../domain/verification.js';

export default action<AdminUpdateUserAttributesRequest, AdminUpdateUserAttributesResponse>(async (input, { app }) => {
  const pool = await requirePool(app, input.UserPoolId!);
  const user = await requireAdminUser(app, pool, input.Username!);
  // No client: the administrator is not limited by an app client's WriteAttributes, but immutable stays immutable.
  const changes = checkAttributeWrite(pool, undefined, input.UserAttributes, 'update');
  let toVerify: AttributeUpdate['toVerify'] = [];
  // Computed from the user as stored under the row lock: a concurrent update of other attributes is kept.
  const updated = await updateUser(app, pool, user, (fresh) => {
    const u = adminUpdate(pool, fresh, changes);
    toVerify = u.toVerify;
    return u.patch;
  });
  const auto = pool.settings.AutoVerifiedAttributes ?? [];
  for (const { attribute: a, pending } of toVerify) {
    const to = pending ? withPending(updated, a) : updated;
    if ((pending || auto.includes(a)) && to.attributes[a]) await sendCode(app, pool, to, a, `verify_${a}`, 'UpdateUserAttribute');
  }
  return {};
});
