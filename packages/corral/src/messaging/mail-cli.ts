// `corral mail [--to ADDRESS] [--pool ID] [--last N]`: prints the outbox, newest first, from the database the
// server uses (same environment: CORRAL_DATA_DIR / CORRAL_DATABASE_URL, and the same server key — CORRAL_KEY or the
// data directory's — which opens the sealed messages). Only live messages: each is gone once its code expires.
import { createCorral } from '../runtime/app.js';
import { configFromEnv } from '../runtime/config.js';
import { listMessages, type OutboxFilter, type OutboxMessage } from './outbox.js';

export const MAIL_USAGE = 'usage: corral mail [--to ADDRESS] [--pool ID] [--last N]';

export function parseMailArgs(args: string[]): OutboxFilter {
  const filter: OutboxFilter = {};
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = () => {
      const v = inline ?? args[++i];
      if (v === undefined || v === '') throw new Error(`${flag} needs a value\n${MAIL_USAGE}`);
      return v;
    };
    if (flag === '--to') filter.to = value();
    else if (flag === '--pool') filter.poolId = value();
    else if (flag === '--last') {
      const n = Number(value());
      if (!Number.isInteger(n) || n < 1) throw new Error(`--last needs a positive whole number\n${MAIL_USAGE}`);
      filter.limit = n;
    } else throw new Error(`unknown option ${arg}\n${MAIL_USAGE}`);
  }
  return filter;
}

export function formatMessage(m: OutboxMessage): string {
  const head = `${m.createdAt.toISOString()}  ${m.medium} to ${m.to}  [${m.kind}]  pool ${m.poolId}  user ${m.username}`;
  return [head, ...(m.subject !== undefined ? [`Subject: ${m.subject}`] : []), '', m.body, ''].join('\n');
}

export async function mailCommand(
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
  write: (s: string) => void = (s) => process.stdout.write(s),
): Promise<void> {
  const filter = parseMailArgs(args);
  const app = await createCorral(configFromEnv(env, { logLevel: 'warn' }));
  try {
    const messages = await listMessages(app, filter);
    if (messages.length === 0) write('No messages.\n');
    for (const m of messages) write(formatMessage(m) + '\n');
  } finally {
    await app.close();
  }
}
