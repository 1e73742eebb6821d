// CustomMessage (CustomMessage_SignUp, _ResendCode, _ForgotPassword, _UpdateUserAttribute, _VerifyUserAttribute,
// _AdminCreateUser, _Authentication): the function may rewrite a message before it is sent (messaging/index.ts
// deliver calls customizeMessage once, for every message).
//   request: userAttributes, codeParameter "{####}", usernameParameter "{username}" (AdminCreateUser; else null),
//            clientMetadata.
//   response: smsMessage (SMS), emailMessage and emailSubject (email) replace the pool's text; a message must keep
//             the code placeholder, else InvalidLambdaResponseException. Cognito fills {####} (and {username})
//             afterwards. Fields left out keep the pool's text.
// With a CustomEmailSender / CustomSMSSender for the medium, deliver calls that (custom-sender.ts) instead, and
// CustomMessage is not run for the message (the function writes its own text).
import type { Corral } from '../runtime/app.js';
import type { Pool } from '../storage/pools.js';
import type { User } from '../storage/users.js';
import { hasTrigger, invalidResponse, invokeTrigger } from './invoke.js';
import { userEventAttributes } from './post-confirmation.js';

export const CODE_PARAMETER = '{####}';
export const USERNAME_PARAMETER = '{username}';

export interface MessageToCustomize {
  medium: 'EMAIL' | 'SMS';
  kind: string;
  username: string;
  code?: string;
  /** The recipient, as stored: its attributes go to the function. */
  user?: User;
}

function text(response: Record<string, unknown>, field: string): string | undefined {
  const v = response[field];
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v !== 'string') invalidResponse(`Invalid lambda response: ${field} must be a string.`);
  return v;
}

/** The message's subject and body after the pool's CustomMessage trigger (unchanged without one). */
export async function customizeMessage(
  app: Corral,
  pool: Pool | undefined,
  message: MessageToCustomize,
  rendered: { subject?: string; body: string },
): Promise<{ subject?: string; body: string }> {
  if (!pool) return rendered;
  if (!hasTrigger(pool, 'CustomMessage') || message.code === undefined) return rendered;
  const { user } = message;
  const response = await invokeTrigger(app, pool, {
    trigger: 'CustomMessage',
    source: `CustomMessage_${message.kind}`,
    userName: message.username,
    request: {
      userAttributes: user ? userEventAttributes(user) : {},
      codeParameter: CODE_PARAMETER,
      usernameParameter: message.kind === 'AdminCreateUser' ? USERNAME_PARAMETER : null,
      clientMetadata: {},
    },
  });
  if (!response) return rendered;
  const fill = (s: string) => s.split(CODE_PARAMETER).join(message.code!).split(USERNAME_PARAMETER).join(message.username);
  const checked = (field: string): string | undefined => {
    const value = text(response, field);
    if (value !== undefined && !value.includes(CODE_PARAMETER)) {
      invalidResponse(`Invalid lambda response: ${field} must contain the code parameter ${CODE_PARAMETER}.`);
    }
    return value;
  };
  if (message.medium === 'SMS') {
    const sms = checked('smsMessage');
    return sms === undefined ? rendered : { body: fill(sms) };
  }
  const body = checked('emailMessage');
  const subject = text(response, 'emailSubject');
  return { subject: subject ?? rendered.subject, body: body === undefined ? rendered.body : fill(body) };
}
