// The temporary password an AdminCreateUser invitation carried, read from the local mailbox over HTTP.
import type { TestCorral } from './corral.js';

export interface MailboxMessage {
  to: string;
  subject?: string;
  body: string;
  kind: string;
  username: string;
}

export async function mailTo(corral: TestCorral, to: string, limit = 10): Promise<MailboxMessage[]> {
  const res = await fetch(`${corral.url}/_corral/mail?to=${encodeURIComponent(to)}&limit=${limit}`);
  return ((await res.json()) as { messages: MailboxMessage[] }).messages;
}

/** The password of the newest invitation to `to` (the default template: "… temporary password is {####}. "). */
export async function latestTemporaryPassword(corral: TestCorral, to: string): Promise<string> {
  const [message] = await mailTo(corral, to, 1);
  const password = /temporary password is (\S+)\.\s*$/.exec(message?.body ?? '')?.[1];
  if (!password) throw new Error(`no invitation in the mailbox for ${to}`);
  return password;
}
