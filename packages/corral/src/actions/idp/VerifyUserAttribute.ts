// VerifyUserAttribute: the code proves the email or phone number; it becomes verified (and a sign-in alias). A value
// that waited for verification (AttributesRequireVerificationBeforeUpdate) replaces the old one now.
import type { VerifyUserAttributeRequest, VerifyUserAttributeResponse } from '@aws-sdk/client-cognito-identity-provider';
import { action } from '../../wire/actions.js';
import { InvalidParameterException } from '../../errors.js';
import { authenticate } from '../../domain/access.js';
import { consumeCode } from '../../domain/codes.js';
import { verifiedUpdate, withPending } from '../../domain/pending-attributes.js';
import { updateUser } from '../../domain/users.js';
import { INVALID_VERIFY_ATTRIBUTE } from '../../domain/verification.js';

export default action<VerifyUserAttributeRequest, VerifyUserAttributeResponse>(async (input, { app }) => {
  const { pool, user } = await authenticate(app, input.AccessToken!);
  const attribute = input.AttributeName;
  if (attribute !== 'email' && attribute !== 'phone_number') throw new InvalidParameterException(INVALID_VERIFY_ATTRIBUTE);
  // Nothing to verify is refused before the code is looked at (AWS's wording, floci-io/floci#2018, checked against
  // Cognito).
  if (!withPending(user, attribute).attributes[attribute])
    throw new InvalidParameterException(`Unable to verify attribute: ${attribute} no value set to verify`);
  await consumeCode(app, { poolId: pool.id, userId: user.sub, purpose: `verify_${attribute}`, code: input.Code! });
  await updateUser(app, pool, user, (fresh) => verifiedUpdate(fresh, attribute));
  return {};
});
