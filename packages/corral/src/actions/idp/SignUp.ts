// SignUp: registers a user (UNCONFIRMED) and sends a confirmation code to the auto-verified email or phone.
import type { SignUpRequest, SignUpResponse } from '@aws-sdk/client-cognito-identity-provider';
import { action } from '../../wire/actions.js';
import { InvalidParameterException, NotAuthorizedException } from '../../errors.js';
import { publicCall } from '../../domain/public-call.js';
import { checkAttributeWrite, checkRequired } from '../../domain/user-attributes.js';
import { resolveSignUpName, verificationTarget } from '../../domain/signup-rules.js';
import { checkPassword as checkPasswordPolicy } from '../../domain/password-policy.js';
import { passwordCredentials } from '../../domain/passwords.js';
import { createUser } from '../../domain/users.js';
import { sendCode } from '../../domain/verification.js';
import { randomUUID } from 'node:crypto';

export default action<SignUpRequest, SignUpResponse>(async (input, { app }) => {
  const { client, pool } = await publicCall(app, input.ClientId!, input.Username!, input.SecretHash);
  if (pool.settings.AdminCreateUserConfig?.AllowAdminCreateUserOnly) throw new NotAuthorizedException('SignUp is not permitted for this user pool');

  const written = checkAttributeWrite(pool, client, input.UserAttributes, 'signup');
  const name = resolveSignUpName(pool, input.Username!, written);
  checkRequired(pool, name.attributes);
  if (!input.Password) throw new InvalidParameterException('1 validation error detected: Value null at \'password\' failed to satisfy constraint: Member must not be null');
  checkPasswordPolicy(pool.settings.Policies?.PasswordPolicy, input.Password);

  const sub = randomUUID();
  const username = name.username ?? sub;
  const credentials = passwordCredentials(app, pool, username, input.Password);
  const user = await createUser(app, pool, {
    sub,
    username,
    status: 'UNCONFIRMED',
    attributes: name.attributes,
    srpSalt: credentials.srp_salt,
    srpVerifier: credentials.srp_verifier,
  });

  const target = verificationTarget(pool, user.attributes);
  const delivery = target ? await sendCode(app, pool, user, target, 'signup', 'SignUp') : undefined;
  return { UserConfirmed: false, UserSub: user.sub, ...(delivery ? { CodeDeliveryDetails: delivery } : {}) };
});
