// The code (or temporary password) an outbox message carries, for the console's mailbox. The outbox keeps what was
// sent, not the code apart, so it is read back out of the text: the pool's template for the message's kind and medium
// (messaging/templates.ts) is rendered with a marker where the code goes and matched against the body; where that
// does not match (a CustomMessage trigger rewrote it, the pool's templates changed since, email MFA texts), a
// verification code is the one six-digit number the body holds, and otherwise the message has no known code.
import type { UserPoolType } from '@aws-sdk/client-cognito-identity-provider';
import { renderMessage, type MessageKind, type OutboxMessage } from '../../messaging/index.js';

const KINDS: readonly string[] = ['SignUp', 'ResendCode', 'ForgotPassword', 'UpdateUserAttribute', 'VerifyUserAttribute', 'AdminCreateUser', 'Authentication'];
const MARK = '\u0000CODE\u0000';
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function fromTemplate(settings: UserPoolType, m: OutboxMessage): string | undefined {
  const rendered = renderMessage(settings, { medium: m.medium, kind: m.kind as MessageKind, code: MARK, username: m.username }).body;
  const parts = rendered.split(MARK);
  if (parts.length < 2) return undefined;
  const match = new RegExp(`^${parts.map(escape).join('([\\s\\S]+?)')}$`).exec(m.body);
  if (!match) return undefined;
  const codes = new Set(match.slice(1));
  return codes.size === 1 ? [...codes][0] : undefined;
}

export function messageCode(settings: UserPoolType | undefined, m: OutboxMessage): string | undefined {
  if (!KINDS.includes(m.kind)) return undefined;
  for (const s of settings ? [settings, {}] : [{}]) {
    const code = fromTemplate(s, m);
    if (code !== undefined) return code;
  }
  if (m.kind === 'AdminCreateUser') return undefined; // a temporary password has no recognisable form
  const digits = new Set(m.body.match(/(?<![0-9])[0-9]{6}(?![0-9])/g) ?? []);
  return digits.size === 1 ? [...digits][0] : undefined;
}
