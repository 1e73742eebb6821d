// What the identity pool pages (and the mailbox's pool filter) share: user pool / app client look-ups, provider
// names, token paging, a form's problem list and "Save Changes", an expander (<button aria-expanded>) and ARIA tabs.
import { useEffect, useId, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { idp } from '../../lib/api';
import { fetchConsoleConfig } from '../../lib/session';
import { ErrorNotice, Notice, useLoad } from '../../components/ui';

export interface PoolSummary {
  Id: string;
  Name: string;
}

/** Every user pool (all pages of ListUserPools). */
export async function listAllUserPools(): Promise<PoolSummary[]> {
  const out: PoolSummary[] = [];
  let token: string | undefined;
  do {
    const page = await idp('ListUserPools', { MaxResults: 60, NextToken: token });
    for (const p of page.UserPools ?? []) out.push({ Id: p.Id ?? '', Name: p.Name ?? '' });
    token = page.NextToken;
  } while (token);
  return out;
}

export interface ClientSummary {
  ClientId: string;
  ClientName: string;
}

/** Every app client of a pool (all pages of ListUserPoolClients). */
export async function listAllClients(userPoolId: string): Promise<ClientSummary[]> {
  const out: ClientSummary[] = [];
  let token: string | undefined;
  do {
    const page = await idp('ListUserPoolClients', { UserPoolId: userPoolId, MaxResults: 60, NextToken: token });
    for (const c of page.UserPoolClients ?? []) out.push({ ClientId: c.ClientId ?? '', ClientName: c.ClientName ?? '' });
    token = page.NextToken;
  } while (token);
  return out;
}

/** A user pool id: `<region>_<id>`. */
export const USER_POOL_ID = /^[\w-]+_[0-9a-zA-Z]+$/;
/** An app client id (CognitoIdentityProviderClientId). */
export const CLIENT_ID = /^[\w]+$/;
/** An IAM role name. */
export const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;
/** An identity pool name (IdentityPoolName). */
export const IDENTITY_POOL_NAME = /^[\w\s+=,.@-]{1,128}$/;

export function regionOfPoolId(poolId: string): string {
  return poolId.split('_')[0] ?? '';
}

/** The identity pool's name for a user pool: `cognito-idp.<region>.amazonaws.com/<poolId>`. */
export function providerName(poolId: string): string {
  return `cognito-idp.${regionOfPoolId(poolId)}.amazonaws.com/${poolId}`;
}

/** The user pool id a Cognito provider name ends with. */
export function poolIdOfProvider(name: string | undefined): string {
  if (!name) return '';
  return name.slice(name.lastIndexOf('/') + 1);
}

/** The account of an ARN (`arn:aws:<service>:<region>:<account>:…`), when it has one. */
export function accountOfArn(arn: string | undefined): string | undefined {
  const account = arn?.split(':')[4];
  return account && /^\d{12}$/.test(account) ? account : undefined;
}

/** The account Corral runs as (CORRAL_ACCOUNT_ID, default 000000000000): Corral says which. */
export async function discoverAccountId(): Promise<string> {
  return (await fetchConsoleConfig()).accountId;
}

export function roleArnFor(account: string, roleName: string): string {
  return `arn:aws:iam::${account}:role/${roleName}`;
}

/**
 * Token paging for a List* action: `load(token)` gets one page; "Next page" / "Previous page" walk the pages.
 * `resetKey` changing starts again at the first page.
 */
export function usePaged<T>(load: (token: string | undefined) => Promise<{ items: T[]; next?: string }>, resetKey: string) {
  const [stack, setStack] = useState<string[]>([]);
  const [key, setKey] = useState(resetKey);
  if (key !== resetKey) {
    setKey(resetKey);
    setStack([]);
  }
  const token = stack[stack.length - 1];
  const state = useLoad(() => load(token), [resetKey, token, stack.length]);
  return {
    ...state,
    page: stack.length + 1,
    hasNext: !!state.data?.next,
    hasPrevious: stack.length > 0,
    next: () => state.data?.next && setStack((s) => [...s, state.data!.next!]),
    previous: () => setStack((s) => s.slice(0, -1)),
  };
}

export function Pager({ pager }: { pager: { page: number; hasNext: boolean; hasPrevious: boolean; next: () => void; previous: () => void } }) {
  if (!pager.hasNext && !pager.hasPrevious) return null;
  return (
    <nav className="pager" aria-label="Pages">
      <button type="button" className="secondary" disabled={!pager.hasPrevious} onClick={pager.previous}>
        Previous page
      </button>
      <span>Page {pager.page}</span>
      <button type="button" className="secondary" disabled={!pager.hasNext} onClick={pager.next}>
        Next page
      </button>
    </nav>
  );
}

/** The checks a form failed, listed in an error notice. */
export function ProblemList({ problems }: { problems: string[] }) {
  if (!problems.length) return null;
  return (
    <Notice kind="error">
      <ul>
        {problems.map((p) => (
          <li key={p}>{p}</li>
        ))}
      </ul>
    </Notice>
  );
}

/** The end of an edit form: what failed, the `saved` notice (once saved), and "Save Changes". */
export function SaveChanges(props: { problems: string[]; error: unknown; busy: boolean; saved: string | false }) {
  return (
    <>
      <ProblemList problems={props.problems} />
      <ErrorNotice error={props.error} />
      {props.saved && <Notice kind="success">{props.saved}</Notice>}
      <div className="form-actions">
        <button type="submit" className="primary" disabled={props.busy}>
          Save Changes
        </button>
      </div>
    </>
  );
}

/** A section that opens and closes: a <button aria-expanded> controlling a region. */
export function Expander({
  title,
  children,
  initiallyOpen = false,
  heading = true,
}: {
  title: string;
  children: ReactNode;
  initiallyOpen?: boolean;
  heading?: boolean;
}) {
  const [open, setOpen] = useState(initiallyOpen);
  const id = useId();
  const button = (
    <button type="button" className="expander" aria-expanded={open} aria-controls={id} onClick={() => setOpen((o) => !o)}>
      <span aria-hidden="true">{open ? '▾' : '▸'}</span> {title}
    </button>
  );
  return (
    <div className="expandable">
      {heading ? <h2 className="expander-heading">{button}</h2> : button}
      <div id={id} role="region" aria-label={title} hidden={!open}>
        {open && children}
      </div>
    </div>
  );
}

/** ARIA tabs: arrow keys, Home and End move between tabs; the selected tab's panel is shown. */
export function Tabs({ label, tabs }: { label: string; tabs: { id: string; title: string; content: ReactNode }[] }) {
  const [selected, setSelected] = useState(tabs[0]?.id ?? '');
  const base = useId();
  const refs = useRef<Record<string, HTMLButtonElement | null>>({});
  const [focusTo, setFocusTo] = useState<string>();
  useEffect(() => {
    if (focusTo) refs.current[focusTo]?.focus();
  }, [focusTo]);
  const onKey = (e: KeyboardEvent) => {
    const i = tabs.findIndex((t) => t.id === selected);
    let next = i;
    if (e.key === 'ArrowRight') next = (i + 1) % tabs.length;
    else if (e.key === 'ArrowLeft') next = (i - 1 + tabs.length) % tabs.length;
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = tabs.length - 1;
    else return;
    e.preventDefault();
    setSelected(tabs[next]!.id);
    setFocusTo(tabs[next]!.id);
  };
  return (
    <div className="tabs">
      <div role="tablist" aria-label={label} onKeyDown={onKey}>
        {tabs.map((t) => (
          <button
            key={t.id}
            ref={(el) => {
              refs.current[t.id] = el;
            }}
            type="button"
            role="tab"
            id={`${base}-tab-${t.id}`}
            aria-selected={selected === t.id}
            aria-controls={`${base}-panel-${t.id}`}
            tabIndex={selected === t.id ? 0 : -1}
            className={selected === t.id ? 'tab selected' : 'tab'}
            onClick={() => setSelected(t.id)}
          >
            {t.title}
          </button>
        ))}
      </div>
      {tabs.map((t) => (
        <div key={t.id} role="tabpanel" id={`${base}-panel-${t.id}`} aria-labelledby={`${base}-tab-${t.id}`} hidden={selected !== t.id} className="tab-panel">
          {selected === t.id && t.content}
        </div>
      ))}
    </div>
  );
}

/** The list of user pools, loaded once per page. */
export function useUserPools() {
  return useLoad(listAllUserPools, []);
}

/** The console path of an identity pool's pages (ids are `<region>:<uuid>`, safe in a path). */
export function identityPoolPath(identityPoolId: string, page = ''): string {
  return `/identity-pools/${encodeURI(identityPoolId)}${page ? `/${page}` : ''}`;
}
