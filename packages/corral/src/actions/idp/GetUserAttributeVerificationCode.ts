// GetUserAttributeVerificationCode: sends a code to verify the user's email or phone number — to the new value when
// one waits for verification (AttributesRequireVerificationBeforeUpdate): that code is what applies it.
import type { GetUserAttributeVerificationCodeRequest, GetUserAttributeVerificationCodeResponse } from '@aws-sdk/client-cognito-identity-provider';
import { action } from '../../wire/actions.js';
import { InvalidParameterException } from '../../errors.js';
import { authenticate } from '../../domain/access.js';
import { withPending } from '../../domain/pending-attributes.js';
import { sendCode } from '../../domain/verification.js';

export default action<GetUserAttributeVerificationCodeRequest, GetUserAttributeVerificationCodeResponse>(async (input, { app }) => {
  const { pool, user } = await authenticate(app, input.AccessToken!);
  const attribute = input.AttributeName;
  if (attribute !== 'email' && attribute !== 'phone_number') throw new InvalidParameterException('Invalid attribute name: only email and phone_number can be verified.');
  if (!user.attributes[attribute]) throw new InvalidParameterException(`No ${attribute} attribute to verify.`);
  return { CodeDeliveryDetails: await sendCode(app, pool, withPending(user, attribute), attribute, `verify_${attribute}`, 'VerifyUserAttribute') };
});
