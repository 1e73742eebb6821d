// UpdateUserAttributes: the user changes its own attributes; a changed email or phone becomes unverified and,
// where the pool auto-verifies it, a code is sent to the new value. Where the pool requires verification before
// update (UserAttributeUpdateSettings), the new email/phone waits instead: the old value stays, verified and usable
// for sign-in, until VerifyUserAttribute confirms the new one (domain/pending-attributes.ts).
import type { CodeDeliveryDetailsType, UpdateUserAttributesRequest, UpdateUserAttributesResponse } from '@aws-sdk/client-cognito-identity-provider';
import { action } from '../../wire/actions.js';
import { authenticate } from '../../domain/access.js';
import { selfServiceUpdate, withPending, type AttributeUpdate } from '../../domain/pending-attributes.js';
import { checkAttributeWrite } from '../../domain/user-attributes.js';
import { updateUser } from '../../domain/users.js';
import { sendCode } from '../../domain/verification.js';

export default action<UpdateUserAttributesRequest, UpdateUserAttributesResponse>(async (input, { app }) => {
  const { pool, client, user } = await authenticate(app, input.AccessToken!);
  const changes = checkAttributeWrite(pool, client, input.UserAttributes, 'update');
  let toVerify: AttributeUpdate['toVerify'] = [];
  // Computed from the user as stored under the row lock: a concurrent update of other attributes is kept.
  const updated = await updateUser(app, pool, user, (fresh) => {
    const u = selfServiceUpdate(pool, fresh, changes);
    toVerify = u.toVerify;
    return u.patch;
  });
  const auto = pool.settings.AutoVerifiedAttributes ?? [];
  const CodeDeliveryDetailsList: CodeDeliveryDetailsType[] = [];
  for (const { attribute: a, pending } of toVerify) {
    const to = pending ? withPending(updated, a) : updated;
    if ((pending || auto.includes(a)) && to.attributes[a]) {
      CodeDeliveryDetailsList.push(await sendCode(app, pool, to, a, `verify_${a}`, 'UpdateUserAttribute'));
    }
  }
  return { CodeDeliveryDetailsList };
});
