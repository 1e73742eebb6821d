// UpdateUserAttributes: the user changes its own attributes; a changed email or phone becomes unverified and,
// where the pool auto-verifies it, a code is sent to the new value.
import type { CodeDeliveryDetailsType, UpdateUserAttributesRequest, UpdateUserAttributesResponse } from '@aws-sdk/client-cognito-identity-provider';
import { action } from '../../wire/actions.js';
import { authenticate } from '../../domain/access.js';
import { checkAttributeWrite } from '../../domain/user-attributes.js';
import { updateUser } from '../../domain/users.js';
import { sendCode, type CodeAttribute } from '../../domain/verification.js';

export default action<UpdateUserAttributesRequest, UpdateUserAttributesResponse>(async (input, { app }) => {
  const { pool, client, user } = await authenticate(app, input.AccessToken!);
  const changes = checkAttributeWrite(pool, client, input.UserAttributes, 'update');
  const changed: CodeAttribute[] = [];
  // Computed from the user as stored under the row lock: a concurrent update of other attributes is kept.
  const updated = await updateUser(app, pool, user, (fresh) => {
    const set = { ...changes };
    changed.length = 0;
    for (const a of ['email', 'phone_number'] as const) {
      if (a in changes && changes[a] !== fresh.attributes[a]) {
        set[`${a}_verified`] = 'false';
        changed.push(a);
      }
    }
    return { set };
  });
  const auto = pool.settings.AutoVerifiedAttributes ?? [];
  const CodeDeliveryDetailsList: CodeDeliveryDetailsType[] = [];
  for (const a of changed) {
    if (auto.includes(a) && updated.attributes[a]) {
      CodeDeliveryDetailsList.push(await sendCode(app, pool, updated, a, `verify_${a}`, 'UpdateUserAttribute'));
    }
  }
  return { CodeDeliveryDetailsList };
});
