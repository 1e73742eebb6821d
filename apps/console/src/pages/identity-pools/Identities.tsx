// The pool's identities (ListIdentities, a page at a time), one's details (DescribeIdentity) and deleting one
// (DeleteIdentities).
import { useState } from 'react';
import { asDate, identity } from '../../lib/api';
import { ActionButton, ErrorNotice, Loading, Table, formatDate, useLoad } from '../../components/ui';
import type { PoolPageProps } from './IdentityPoolPages';
import { Pager, usePaged } from './shared';

const PAGE_SIZE = 20;
const COUNT_PAGES = 20;

/** How many identities the pool has (up to COUNT_PAGES pages of 60; `more` when there are more). */
export async function countIdentities(identityPoolId: string): Promise<{ count: number; more: boolean }> {
  let count = 0;
  let token: string | undefined;
  for (let i = 0; i < COUNT_PAGES; i++) {
    const page = await identity('ListIdentities', { IdentityPoolId: identityPoolId, MaxResults: 60, NextToken: token });
    count += page.Identities?.length ?? 0;
    token = page.NextToken;
    if (!token) return { count, more: false };
  }
  return { count, more: true };
}

function loginsText(logins: string[] | undefined): string {
  return logins && logins.length ? logins.join(', ') : 'none (unauthenticated)';
}

function IdentityDetails({ identityId, onClose }: { identityId: string; onClose: () => void }) {
  const details = useLoad(() => identity('DescribeIdentity', { IdentityId: identityId }), [identityId]);
  return (
    <section className="panel" aria-label="Identity details">
      <h2>Identity details</h2>
      {details.loading && !details.data && <Loading what="the identity" />}
      <ErrorNotice error={details.error} />
      {details.data && (
        <dl className="summary">
          <dt>Identity ID</dt>
          <dd>
            <code>{details.data.IdentityId}</code>
          </dd>
          <dt>Logins</dt>
          <dd>
            {details.data.Logins?.length ? (
              <ul className="plain">
                {details.data.Logins.map((l) => (
                  <li key={l}>
                    <code>{l}</code>
                  </li>
                ))}
              </ul>
            ) : (
              'none (unauthenticated)'
            )}
          </dd>
          <dt>Created</dt>
          <dd>{formatDate(asDate(details.data.CreationDate))}</dd>
          <dt>Last modified</dt>
          <dd>{formatDate(asDate(details.data.LastModifiedDate))}</dd>
        </dl>
      )}
      <button type="button" className="secondary" onClick={onClose}>
        Close details
      </button>
    </section>
  );
}

export function Identities({ pool }: PoolPageProps) {
  const id = pool.IdentityPoolId!;
  const [selected, setSelected] = useState<string>();
  const [deleted, setDeleted] = useState(0);
  const list = usePaged(async (token) => {
    const page = await identity('ListIdentities', { IdentityPoolId: id, MaxResults: PAGE_SIZE, NextToken: token });
    return { items: page.Identities ?? [], next: page.NextToken };
  }, `${id}#${deleted}`);
  return (
    <>
      <section className="panel">
        <h2>Identities</h2>
        <div className="toolbar">
          <button type="button" className="secondary" onClick={list.reload}>
            Refresh
          </button>
        </div>
        <ErrorNotice error={list.error} />
        {list.loading && !list.data ? (
          <Loading what="identities" />
        ) : (
          <Table
            head={['Identity ID', 'Logins', 'Created', 'Last modified', 'Actions']}
            empty="No identities yet: an app's GetId call creates one."
            rows={(list.data?.items ?? []).map((i) => [
              <code key="id">{i.IdentityId}</code>,
              <span key="logins" className="wrap">
                {loginsText(i.Logins)}
              </span>,
              formatDate(asDate(i.CreationDate)),
              formatDate(asDate(i.LastModifiedDate)),
              <span key="actions" className="page-actions">
                <button type="button" className="link" aria-label={`Details of ${i.IdentityId}`} onClick={() => setSelected(i.IdentityId)}>
                  Details
                </button>
                <ActionButton
                  kind="danger"
                  confirm={`Delete identity ${i.IdentityId}? Its logins are unlinked; the user gets a new identity next time.`}
                  onClick={async () => {
                    await identity('DeleteIdentities', { IdentityIdsToDelete: [i.IdentityId!] });
                    if (selected === i.IdentityId) setSelected(undefined);
                    setDeleted((n) => n + 1);
                  }}
                >
                  Delete
                </ActionButton>
              </span>,
            ])}
          />
        )}
        <Pager pager={list} />
      </section>
      {selected && <IdentityDetails identityId={selected} onClose={() => setSelected(undefined)} />}
    </>
  );
}
