// GetUserAttributeVerificationCode: sends a code to verify the user's email or phone number — to the new value when
// one waits for verification (AttributesRequireVerificationBeforeUpdate): that code is what applies it.
import type { GetUserAttributeVerificationCodeRequest, GetUserAttributeVerificationCodeResponse } from '@aws-sdk/client-cognito-identity-provider';
import { action } from '../../wire/actions.js';
import { InvalidParameterException } from '../../errors.js';
import { authenticate } from '../../domain/access.js';
import { withPending } from '../../domain/pending-attributes.js';
import { INVALID_VERIFY_ATTRIBUTE, sendCode } from '../../domain/verification.js';

export default action<GetUserAttributeVerificationCodeRequest, GetUserAttributeVerificationCodeResponse>(async (input, { app }) => {
  const { pool, user } = await authenticate(app, input.AccessToken!);
  const attribute = input.AttributeName;
  if (attribute !== 'email' && attribute !== 'phone_number') throw new InvalidParameterException(INVALID_VERIFY_ATTRIBUTE);
  const to = withPending(user, attribute);
  // AWS's wording for a user without the attribute (floci-io/floci's GetUserAttributeVerificationCode, checked
  // against Cognito).
  if (!to.attributes[attribute]) {
    throw new InvalidParameterException(
      attribute === 'email' ? 'User does not have a valid registered email address' : 'User does not have a valid registered phone number',
    );
  }
  return { CodeDeliveryDetails: await sendCode(app, pool, to, attribute, `verify_${attribute}`, 'VerifyUserAttribute') };
});
