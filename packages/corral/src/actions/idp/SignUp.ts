// SignUp: registers a user (UNCONFIRMED; without a password where the pool allows OTP sign-in) and sends a confirmation code to the auto-verified email or phone.
import type { SignUpRequest, SignUpResponse } from '@aws-sdk/client-cognito-identity-provider';
import { action } from '../../wire/actions.js';
import { InvalidParameterException, NotAuthorizedException } from '../../errors.js';
import { publicCall } from '../../domain/public-call.js';
import { checkAttributeWrite, checkRequired } from '../../domain/user-attributes.js';
import { resolveSignUpName, verificationTarget } from '../../domain/signup-rules.js';
import { checkPassword as checkPasswordPolicy } from '../../domain/password-policy.js';
import { passwordCredentials } from '../../domain/passwords.js';
import { createUser } from '../../domain/users.js';
import { preSignUp } from '../../triggers/index.js';
import { allowsPasswordlessSignUp } from '../../domain/challenges/user-auth.js';
import { signUpSession } from '../../domain/signup-session.js';
import { sendCode } from '../../domain/verification.js';
import { randomUUID } from 'node:crypto';

export default action<SignUpRequest, SignUpResponse>(async (input, { app }) => {
  const { client, pool } = await publicCall(app, input.ClientId!, input.Username!, input.SecretHash);
  if (pool.settings.AdminCreateUserConfig?.AllowAdminCreateUserOnly) throw new NotAuthorizedException('SignUp is not permitted for this user pool');

  const written = checkAttributeWrite(pool, client, input.UserAttributes, 'signup');
  const name = resolveSignUpName(pool, input.Username!, written);
  checkRequired(pool, name.attributes);
  // Without a password only where the pool allows a one-time-password first factor (passwordless sign-in).
  const password = input.Password || undefined;
  if (!password && !allowsPasswordlessSignUp(pool))
    throw new InvalidParameterException("1 validation error detected: Value null at 'password' failed to satisfy constraint: Member must not be null");
  if (password) checkPasswordPolicy(pool.settings.Policies?.PasswordPolicy, password);

  const sub = randomUUID();
  const username = name.username ?? sub;
  const pre = await preSignUp(app, pool, {
    source: 'PreSignUp_SignUp',
    userName: username,
    clientId: client.id,
    attributes: name.attributes,
    validationData: input.ValidationData,
    clientMetadata: input.ClientMetadata,
  });
  const credentials = password ? passwordCredentials(app, pool, username, password) : undefined;
  const user = await createUser(
    app,
    pool,
    {
      sub,
      username,
      status: pre.confirmed ? 'CONFIRMED' : 'UNCONFIRMED',
      attributes: pre.attributes,
      srpSalt: credentials?.srpSalt ?? null,
      srpVerifier: credentials?.srpVerifier ?? null,
    },
    { aliases: pre.verified },
  ); // attributes the PreSignUp trigger verified are sign-in aliases at once

  const target = pre.confirmed ? undefined : verificationTarget(pool, user.attributes);
  const delivery = target ? await sendCode(app, pool, user, target, 'signup', 'SignUp') : undefined;
  // A user confirmed at sign-up (PreSignUp autoConfirmUser) on a USER_AUTH client may sign in once with this Session.
  const session = pre.confirmed && client.settings.ExplicitAuthFlows?.includes('ALLOW_USER_AUTH') ? signUpSession(app, client, user) : undefined;
  return { UserConfirmed: pre.confirmed, UserSub: user.sub, ...(delivery ? { CodeDeliveryDetails: delivery } : {}), ...(session ? { Session: session } : {}) };
});
