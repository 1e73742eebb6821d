// "Your User Pools": ListUserPools a page at a time (NextToken), each pool's name linking to its pages, and
// "Create a user pool".
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { ErrorNotice, Loading, PageTitle, Table, formatDate, useLoad } from '../../components/ui';
import { asDate, idp } from '../../lib/api';
import './wizard.css';

export const PAGE_SIZE = 20;

export function UserPools() {
  // The tokens of the pages seen so far: the last one is the page shown (undefined = the first page).
  const [tokens, setTokens] = useState<(string | undefined)[]>([undefined]);
  const token = tokens[tokens.length - 1];
  const { data, error, loading } = useLoad(() => idp('ListUserPools', { MaxResults: PAGE_SIZE, ...(token ? { NextToken: token } : {}) }), [token]);
  const page = tokens.length;
  return (
    <>
      <PageTitle
        actions={
          <Link className="button primary" to="/user-pools/new">
            Create a user pool
          </Link>
        }
      >
        Your User Pools
      </PageTitle>
      <ErrorNotice error={error} />
      {loading && !data ? (
        <Loading what="user pools" />
      ) : (
        <Table
          head={['Pool name', 'Pool Id', 'Created', 'Last modified']}
          empty="No user pools yet. Choose “Create a user pool” to make one."
          rows={(data?.UserPools ?? []).map((p) => [
            <Link key="name" to={`/user-pools/${encodeURIComponent(p.Id ?? '')}`}>
              {p.Name}
            </Link>,
            <code key="id">{p.Id}</code>,
            formatDate(asDate(p.CreationDate)),
            formatDate(asDate(p.LastModifiedDate)),
          ])}
        />
      )}
      {(page > 1 || data?.NextToken) && (
        <nav className="pager" aria-label="Pages of user pools">
          <button type="button" className="secondary" disabled={page === 1 || loading} onClick={() => setTokens((t) => t.slice(0, -1))}>
            Previous page
          </button>
          <span aria-live="polite">Page {page}</span>
          <button type="button" className="secondary" disabled={!data?.NextToken || loading} onClick={() => setTokens((t) => [...t, data?.NextToken])}>
            Next page
          </button>
        </nav>
      )}
    </>
  );
}
