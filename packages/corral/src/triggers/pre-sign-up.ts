// PreSignUp (PreSignUp_SignUp, PreSignUp_AdminCreateUser): the function sees the new user's attributes,
// validationData and clientMetadata; throwing refuses the sign-up. Its answer acts:
//   autoConfirmUser  → SignUp creates the user CONFIRMED and sends no code (ignored for AdminCreateUser: that user
//                      must still change its temporary password)
//   autoVerifyEmail / autoVerifyPhone → email_verified / phone_number_verified "true" (when the user has the
//                      attribute), so the value is also claimed as a sign-in alias
import type { Corral } from '../runtime/app.js';
import type { Attributes } from '../storage/users.js';
import type { Pool } from '../storage/pools.js';
import { eventAttributes, invokeTrigger } from './invoke.js';

export interface PreSignUpInput {
  source: 'PreSignUp_SignUp' | 'PreSignUp_AdminCreateUser' | 'PreSignUp_ExternalProvider';
  userName: string;
  clientId?: string;
  attributes: Attributes;
  validationData?: { Name?: string; Value?: string }[];
  clientMetadata?: Record<string, string>;
}

export interface PreSignUpResult {
  /** The attributes with any auto-verified flags set. */
  attributes: Attributes;
  /** autoConfirmUser (SignUp only). */
  confirmed: boolean;
  /** Whether an attribute became verified here (its alias must be claimed). */
  verified: boolean;
}

export async function preSignUp(app: Corral, pool: Pool, input: PreSignUpInput): Promise<PreSignUpResult> {
  const response = await invokeTrigger(app, pool, {
    trigger: 'PreSignUp',
    source: input.source,
    userName: input.userName,
    clientId: input.clientId,
    request: {
      userAttributes: eventAttributes(input.attributes),
      validationData: Object.fromEntries((input.validationData ?? []).map((v) => [v.Name ?? '', v.Value ?? ''])),
      clientMetadata: input.clientMetadata ?? {},
    },
  });
  const attributes = { ...input.attributes };
  if (!response) return { attributes, confirmed: false, verified: false };
  let verified = false;
  if (response.autoVerifyEmail === true && attributes.email && attributes.email_verified !== 'true') {
    attributes.email_verified = 'true';
    verified = true;
  }
  if (response.autoVerifyPhone === true && attributes.phone_number && attributes.phone_number_verified !== 'true') {
    attributes.phone_number_verified = 'true';
    verified = true;
  }
  return { attributes, confirmed: input.source === 'PreSignUp_SignUp' && response.autoConfirmUser === true, verified };
}
