// Users and groups → Users: search by one of ListUsers' filter attributes ("Starts with" `^=` or "Equals" `=`),
// pages of 60 (PaginationToken; "Next page" / "Previous page"), and "Create user" (AdminCreateUser).
import { useEffect, useState, type FormEvent } from 'react';
import { Link } from 'react-router-dom';
import type { AttributeType, UserType } from '@aws-sdk/client-cognito-identity-provider';
import { Checkbox, ErrorNotice, Loading, Select, Table, TextField } from '../../components/ui';
import { CreateForm, CreatePanel, type CreateDone } from '../../components/create-panel';
import { PagerBar } from '../../components/paging';
import { idp } from '../../lib/api';
import { usePool } from './context';
import { EnabledBadge, StatusBadge, Tabs } from './parts';

export const PAGE_SIZE = 60;

export const SEARCH_ATTRIBUTES = [
  { value: 'username', label: 'Username' },
  { value: 'email', label: 'Email' },
  { value: 'phone_number', label: 'Phone number' },
  { value: 'name', label: 'Name' },
  { value: 'given_name', label: 'Given name' },
  { value: 'family_name', label: 'Family name' },
  { value: 'preferred_username', label: 'Preferred username' },
  { value: 'cognito:user_status', label: 'Confirmation status (cognito:user_status)' },
  { value: 'status', label: 'Enabled status (status: Enabled / Disabled)' },
  { value: 'sub', label: 'Sub' },
] as const;
type SearchAttribute = (typeof SEARCH_ATTRIBUTES)[number]['value'];
type Match = '^=' | '=';

/** ListUsers' Filter: `attribute ^= "value"` (or `=`), the value's quotes and backslashes escaped. */
export function userFilter(attribute: string, match: Match, value: string): string | undefined {
  if (!value) return undefined;
  return `${attribute} ${match} "${value.replace(/["\\]/g, (c) => `\\${c}`)}"`;
}

export function attr(attributes: AttributeType[] | undefined, name: string): string | undefined {
  return attributes?.find((a) => a.Name === name)?.Value;
}

export function userPath(base: string, username: string): string {
  return `${base}/users/${encodeURIComponent(username)}`;
}

export function UsersAndGroupsTabs() {
  const { base } = usePool();
  return (
    <Tabs
      label="Users and groups"
      tabs={[
        { to: `${base}/users`, label: 'Users', end: true },
        { to: `${base}/groups`, label: 'Groups', end: true },
      ]}
    />
  );
}

/** MFA of each listed user (ListUsers does not say; AdminGetUser does), fetched a few at a time after the page shows. */
function useMfaOf(poolId: string, users: UserType[] | undefined): Record<string, string> {
  const [mfa, setMfa] = useState<Record<string, string>>({});
  useEffect(() => {
    let live = true;
    setMfa({});
    const queue = [...(users ?? [])];
    const worker = async () => {
      for (let u = queue.shift(); u && live; u = queue.shift()) {
        const username = u.Username!;
        try {
          const got = await idp('AdminGetUser', { UserPoolId: poolId, Username: username });
          const list = got.UserMFASettingList ?? [];
          const text = list.length
            ? list.map((m) => (m === 'SOFTWARE_TOKEN_MFA' ? 'TOTP' : m === 'SMS_MFA' ? 'SMS' : m === 'EMAIL_OTP' ? 'Email' : m)).join(', ')
            : 'None';
          if (live) setMfa((x) => ({ ...x, [username]: text }));
        } catch {
          if (live) setMfa((x) => ({ ...x, [username]: 'unknown' }));
        }
      }
    };
    void Promise.all([worker(), worker(), worker(), worker()]);
    return () => {
      live = false;
    };
  }, [poolId, users]);
  return mfa;
}

function CreateUser({ onCreated, onCancel }: CreateDone) {
  const { poolId, pool } = usePool();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [email, setEmail] = useState('');
  const [phone, setPhone] = useState('');
  const [sendSms, setSendSms] = useState(false);
  const [sendEmail, setSendEmail] = useState(false);
  const [emailVerified, setEmailVerified] = useState(false);
  const [phoneVerified, setPhoneVerified] = useState(false);
  const usernameIs = pool.UsernameAttributes ?? [];
  const submit = async () => {
    const attributes: AttributeType[] = [];
    if (email) attributes.push({ Name: 'email', Value: email });
    if (phone) attributes.push({ Name: 'phone_number', Value: phone });
    if (email && emailVerified) attributes.push({ Name: 'email_verified', Value: 'true' });
    if (phone && phoneVerified) attributes.push({ Name: 'phone_number_verified', Value: 'true' });
    const mediums = [...(sendSms ? (['SMS'] as const) : []), ...(sendEmail ? (['EMAIL'] as const) : [])];
    const out = await idp('AdminCreateUser', {
      UserPoolId: poolId,
      Username: username,
      UserAttributes: attributes,
      ...(password ? { TemporaryPassword: password } : {}),
      ...(mediums.length ? { DesiredDeliveryMediums: mediums } : { MessageAction: 'SUPPRESS' as const }),
    });
    onCreated(out.User?.Username ?? username);
  };
  return (
    <CreateForm title="Create user" onSubmit={submit} onCancel={onCancel}>
      <TextField
        label="Username"
        value={username}
        onChange={setUsername}
        required
        autoFocus
        hint={usernameIs.length ? `This pool uses ${usernameIs.join(' or ')} as the username.` : undefined}
      />
      <fieldset>
        <legend>Send an invitation to this new user?</legend>
        <Checkbox label="Send invitation by SMS" checked={sendSms} onChange={setSendSms} />
        <Checkbox label="Send invitation by email" checked={sendEmail} onChange={setSendEmail} />
      </fieldset>
      <TextField
        label="Temporary password"
        type="password"
        value={password}
        onChange={setPassword}
        autoComplete="new-password"
        hint="Optional: left empty, a temporary password is generated (and sent with the invitation)."
      />
      <TextField label="Phone number" type="tel" value={phone} onChange={setPhone} hint="E.164, e.g. +15555550100." />
      <Checkbox label="Mark phone number as verified?" checked={phoneVerified} onChange={setPhoneVerified} />
      <TextField label="Email" type="email" value={email} onChange={setEmail} />
      <Checkbox label="Mark email as verified?" checked={emailVerified} onChange={setEmailVerified} />
      {!sendSms && !sendEmail && <p className="hint">No invitation is sent (MessageAction SUPPRESS).</p>}
    </CreateForm>
  );
}

export function UsersTab() {
  const { poolId, base } = usePool();
  const [attribute, setAttribute] = useState<SearchAttribute>('email');
  const [match, setMatch] = useState<Match>('^=');
  const [value, setValue] = useState('');
  /** The search being shown, and the tokens of the pages before the current one (tokens[0] = undefined: page 1). */
  const [query, setQuery] = useState<{ filter?: string; tokens: (string | undefined)[]; n: number }>({ tokens: [undefined], n: 0 });
  const [page, setPage] = useState<{ users: UserType[]; next?: string }>();
  const [error, setError] = useState<unknown>();
  const [loading, setLoading] = useState(true);
  const [tick, setTick] = useState(0);

  useEffect(() => {
    let live = true;
    setLoading(true);
    setError(undefined);
    const token = query.tokens[query.n];
    idp('ListUsers', {
      UserPoolId: poolId,
      Limit: PAGE_SIZE,
      ...(query.filter ? { Filter: query.filter } : {}),
      ...(token ? { PaginationToken: token } : {}),
    }).then(
      (out) => {
        if (!live) return;
        setPage({ users: out.Users ?? [], next: out.PaginationToken });
        setLoading(false);
      },
      (err: unknown) => {
        if (!live) return;
        setError(err);
        setPage(undefined);
        setLoading(false);
      },
    );
    return () => {
      live = false;
    };
  }, [poolId, query, tick]);

  const mfa = useMfaOf(poolId, page?.users);

  const search = (e: FormEvent) => {
    e.preventDefault();
    setQuery({ filter: userFilter(attribute, match, value), tokens: [undefined], n: 0 });
  };

  return (
    <>
      <UsersAndGroupsTabs />
      <CreatePanel noun="user" pathOf={(name) => userPath(base, name)} reload={() => setTick((t) => t + 1)} form={(done) => <CreateUser {...done} />} />
      <form className="toolbar search" role="search" aria-label="Search users" onSubmit={search}>
        <Select<SearchAttribute> label="Search by" value={attribute} onChange={setAttribute} options={[...SEARCH_ATTRIBUTES]} />
        <Select<Match>
          label="Match"
          value={match}
          onChange={setMatch}
          options={[
            { value: '^=', label: 'Starts with' },
            { value: '=', label: 'Equals' },
          ]}
        />
        <TextField label="Search value" value={value} onChange={setValue} placeholder="Empty: every user" />
        <button type="submit" className="primary">
          Search
        </button>
      </form>
      {query.filter && (
        <p className="hint">
          Filter: <code>{query.filter}</code>
        </p>
      )}
      <ErrorNotice error={error} />
      {loading && !page && <Loading what="users" />}
      {page && (
        <>
          <Table
            head={['Username', 'Email', 'Phone number', 'Status', 'Enabled', 'MFA']}
            rows={page.users.map((u) => [
              <Link key="u" to={userPath(base, u.Username!)}>
                {u.Username}
              </Link>,
              attr(u.Attributes, 'email') ?? '',
              attr(u.Attributes, 'phone_number') ?? '',
              <StatusBadge key="s" status={u.UserStatus} />,
              <EnabledBadge key="e" enabled={u.Enabled} />,
              mfa[u.Username!] ?? '…',
            ])}
            empty={query.filter ? 'No users match this search.' : 'This pool has no users yet.'}
          />
          <PagerBar
            onPrevious={query.n === 0 || loading ? undefined : () => setQuery((q) => ({ ...q, n: q.n - 1 }))}
            onNext={!page.next || loading ? undefined : () => setQuery((q) => ({ ...q, tokens: [...q.tokens.slice(0, q.n + 1), page.next], n: q.n + 1 }))}
          >
            <span aria-live="polite">
              Page {query.n + 1} · {page.users.length} user{page.users.length === 1 ? '' : 's'}
              {loading ? ' · loading…' : ''}
            </span>
          </PagerBar>
        </>
      )}
    </>
  );
}
