// The mailbox: the emails and SMS Corral sent (CorralAdmin.ListMessages), newest first, filtered by user pool and
// recipient (`?pool=&to=` preselects them), the code in each highlighted. Bodies are shown as text, never as HTML.
import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { useSearchParams } from 'react-router-dom';
import { corral } from '../lib/api';
import type { Message } from '../lib/corral-admin';
import { Checkbox, ErrorNotice, Loading, PageTitle, Select, TextField, formatDate, useLoad } from '../components/ui';
import { useUserPools } from './identity-pools/shared';
import './Mailbox.css';

const MAX_RESULTS = 60;
const REFRESH_MS = 5000;
const SIX_DIGITS = /\b\d{6}\b/g;

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The body as text nodes, with the code (or, lacking one, every 6-digit number) in <mark class="code">. */
export function highlight(body: string, code: string | undefined): { nodes: ReactNode[]; found: boolean } {
  const pattern = code ? new RegExp(escapeRegExp(code), 'g') : SIX_DIGITS;
  const nodes: ReactNode[] = [];
  let last = 0;
  let found = false;
  for (const m of body.matchAll(pattern)) {
    if (!m[0]) continue;
    const at = m.index ?? 0;
    if (at > last) nodes.push(body.slice(last, at));
    nodes.push(
      <mark className="code" key={at}>
        {m[0]}
      </mark>,
    );
    last = at + m[0].length;
    found = true;
  }
  if (last < body.length) nodes.push(body.slice(last));
  return { nodes, found };
}

function MessageItem({ message, poolName }: { message: Message; poolName?: string }) {
  const { nodes, found } = useMemo(() => highlight(message.Body, message.Code), [message.Body, message.Code]);
  const medium = message.Medium === 'sms' ? 'SMS' : 'Email';
  return (
    <article className="message" aria-label={`${medium} to ${message.To}`}>
      <header>
        <span className={`badge medium-${message.Medium}`}>{medium}</span>
        <span className="message-to">
          To: <strong>{message.To}</strong>
        </span>
        <span className="badge">{message.Kind}</span>
        <time dateTime={new Date(message.CreatedAt * 1000).toISOString()}>{formatDate(message.CreatedAt)}</time>
      </header>
      <dl className="summary">
        <dt>User pool</dt>
        <dd>
          {poolName ? `${poolName} ` : ''}
          <code>{message.UserPoolId}</code>
        </dd>
        {message.Username && (
          <>
            <dt>Username</dt>
            <dd>{message.Username}</dd>
          </>
        )}
        {message.Subject !== undefined && (
          <>
            <dt>Subject</dt>
            <dd className="message-subject">{message.Subject}</dd>
          </>
        )}
        {message.Code && !found && (
          <>
            <dt>Code</dt>
            <dd>
              <mark className="code">{message.Code}</mark>
            </dd>
          </>
        )}
      </dl>
      <pre className="message-body">{nodes}</pre>
    </article>
  );
}

export function Mailbox() {
  const [params, setParams] = useSearchParams();
  const pool = params.get('pool') ?? '';
  const to = params.get('to') ?? '';
  const [recipient, setRecipient] = useState(to);
  const [auto, setAuto] = useState(false);
  const pools = useUserPools();

  // Typing updates the query string (and so the list) after a short pause.
  useEffect(() => {
    if (recipient.trim() === to) return;
    const timer = setTimeout(() => setFilter('to', recipient.trim()), 300);
    return () => clearTimeout(timer);
  }, [recipient]);
  useEffect(() => setRecipient((r) => (r.trim() === to ? r : to)), [to]);

  function setFilter(name: 'pool' | 'to', value: string) {
    setParams(
      (p) => {
        const next = new URLSearchParams(p);
        if (value) next.set(name, value);
        else next.delete(name);
        return next;
      },
      { replace: true },
    );
  }

  const messages = useLoad(
    () => corral('ListMessages', { ...(pool ? { UserPoolId: pool } : {}), ...(to ? { Recipient: to } : {}), MaxResults: MAX_RESULTS }),
    [pool, to],
  );
  const { reload } = messages;
  useEffect(() => {
    if (!auto) return;
    const timer = setInterval(reload, REFRESH_MS);
    return () => clearInterval(timer);
  }, [auto, reload]);

  const names = new Map((pools.data ?? []).map((p) => [p.Id, p.Name]));
  const poolOptions = [{ value: '', label: 'All user pools' }, ...(pools.data ?? []).map((p) => ({ value: p.Id, label: `${p.Name} (${p.Id})` }))];
  if (pool && !names.has(pool)) poolOptions.push({ value: pool, label: pool });
  const list = [...(messages.data?.Messages ?? [])].sort((a, b) => b.CreatedAt - a.CreatedAt);

  return (
    <>
      <PageTitle>Mailbox</PageTitle>
      <p>The emails and text messages Corral sent, newest first. Codes and temporary passwords are highlighted.</p>
      <div className="toolbar">
        <Select label="User pool" value={pool} options={poolOptions} onChange={(v) => setFilter('pool', v)} />
        <TextField
          label="Recipient"
          value={recipient}
          onChange={setRecipient}
          placeholder="rider@example.com or +15555550100"
          type="search"
          hint="The whole email address (any case) or phone number."
        />
        <button type="button" className="secondary" onClick={reload} disabled={messages.loading}>
          Refresh
        </button>
        <Checkbox label="Auto-refresh every 5 seconds" checked={auto} onChange={setAuto} />
      </div>
      <ErrorNotice error={messages.error} />
      {messages.loading && !messages.data ? (
        <Loading what="messages" />
      ) : (
        <section aria-label="Messages" className="messages" aria-busy={messages.loading}>
          {messages.data && (
            <p className="hint" role="status">
              {list.length === 0 ? 'No messages' : list.length === 1 ? '1 message' : `${list.length} messages`}
              {pool || to ? ' matching the filters' : ''}
              {list.length >= MAX_RESULTS ? ` (the newest ${MAX_RESULTS})` : ''}.
            </p>
          )}
          {list.map((m) => (
            <MessageItem key={m.Id} message={m} poolName={names.get(m.UserPoolId)} />
          ))}
        </section>
      )}
    </>
  );
}
