// The local mailbox: the messages Corral "sent", for people running Wild Rydes without a real mail server.
import { Fragment, useEffect, useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { mailboxUrl } from '../lib/config';

interface MailMessage {
  id: string;
  poolId?: string;
  medium?: string;
  to: string;
  subject?: string;
  body: string;
  kind?: string;
  username?: string;
  createdAt?: string | number;
}

const REFRESH_MS = 3000;
const CODE = /\b\d{6}\b/g;

function plainText(body: string): string {
  if (!/<[a-z][\s\S]*>/i.test(body)) return body;
  const doc = new DOMParser().parseFromString(body.replace(/<br\s*\/?>/gi, '\n'), 'text/html');
  return doc.body.textContent ?? '';
}

function whenText(createdAt: MailMessage['createdAt']): string {
  if (createdAt === undefined) return '';
  const date = typeof createdAt === 'number' ? new Date(createdAt < 1e12 ? createdAt * 1000 : createdAt) : new Date(createdAt);
  return Number.isNaN(date.getTime()) ? String(createdAt) : date.toLocaleString();
}

function Highlighted({ text }: { text: string }) {
  const parts: Array<string | { code: string }> = [];
  let last = 0;
  for (const m of text.matchAll(CODE)) {
    parts.push(text.slice(last, m.index), { code: m[0] });
    last = (m.index ?? 0) + m[0].length;
  }
  parts.push(text.slice(last));
  return (
    <>
      {parts.map((p, i) =>
        typeof p === 'string' ? (
          <Fragment key={i}>{p}</Fragment>
        ) : (
          <mark key={i} className="code" data-testid="mail-code">
            {p.code}
          </mark>
        ),
      )}
    </>
  );
}

export function Mailbox() {
  const [params, setParams] = useSearchParams();
  const to = params.get('to') ?? '';
  const [draft, setDraft] = useState(to);
  const [messages, setMessages] = useState<MailMessage[] | undefined>();
  const [problem, setProblem] = useState('');
  const [checkedAt, setCheckedAt] = useState<Date | undefined>();

  useEffect(() => {
    setDraft(to);
  }, [to]);

  useEffect(() => {
    setMessages(undefined);
    setProblem('');
    if (!to) return;
    let stopped = false;
    const load = async () => {
      try {
        const url = `${mailboxUrl()}?to=${encodeURIComponent(to)}`;
        const res = await fetch(url, { cache: 'no-store' });
        if (res.status === 404) throw new Error('This Corral has no local mailbox (yet).');
        if (!res.ok) throw new Error(`The mailbox answered HTTP ${res.status}.`);
        const body = (await res.json()) as { messages?: MailMessage[] };
        const list = [...(body.messages ?? [])].sort((a, b) =>
          String(b.createdAt ?? '').localeCompare(String(a.createdAt ?? ''), undefined, { numeric: true }),
        );
        if (!stopped) {
          setMessages(list);
          setProblem('');
          setCheckedAt(new Date());
        }
      } catch (err) {
        if (!stopped) setProblem(err instanceof TypeError ? `Cannot reach the mailbox at ${mailboxUrl()}. Is Corral running?` : (err as Error).message);
      }
    };
    void load();
    const timer = setInterval(() => void load(), REFRESH_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [to]);

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    setParams(draft.trim() ? { to: draft.trim() } : {});
  };

  return (
    <div className="content">
      <h1>Local Mailbox</h1>
      <p className="lede">
        Running Wild Rydes on your own machine? Corral keeps every email and text it sends here, so you can pick up your verification codes without a real mail
        server. It refreshes every few seconds.
      </p>
      <form className="card mailbox-form" onSubmit={onSubmit}>
        <label>
          Messages to
          <input type="email" name="to" placeholder="you@example.com" value={draft} onChange={(e) => setDraft(e.target.value)} />
        </label>
        <button type="submit" className="button">
          Show messages
        </button>
      </form>
      {!to && <p>Enter the email address you registered with.</p>}
      {problem && (
        <p className="notice notice-error" role="alert">
          {problem}
        </p>
      )}
      {to && messages && messages.length === 0 && <p data-testid="mailbox-empty">No messages for {to} yet. Waiting for the herd's carrier pigeon…</p>}
      {checkedAt && <p className="hint">Last checked {checkedAt.toLocaleTimeString()}.</p>}
      <ul className="mail-list">
        {messages?.map((m) => {
          const text = plainText(m.body ?? '');
          const code = text.match(CODE)?.[0];
          return (
            <li key={m.id} className="card mail" data-testid="mail">
              <div className="mail-head">
                <strong>{m.subject || (m.medium === 'sms' ? 'Text message' : '(no subject)')}</strong>
                <span className="hint">
                  {m.medium ?? 'email'} to {m.to} · {whenText(m.createdAt)}
                </span>
              </div>
              <p className="mail-body">
                <Highlighted text={text} />
              </p>
              {code && /sign.?up/i.test(m.kind ?? '') && (
                <Link className="button button-quiet" to={`/register?verify=1&email=${encodeURIComponent(to)}&code=${code}`}>
                  Verify with this code
                </Link>
              )}
            </li>
          );
        })}
      </ul>
    </div>
  );
}
