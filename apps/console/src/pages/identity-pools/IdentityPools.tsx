// "Federated Identities": the identity pools (ListIdentityPools, a page at a time) and "Create new identity pool".
import { Link } from 'react-router-dom';
import { identity } from '../../lib/api';
import { ErrorNotice, Loading, PageTitle, Table } from '../../components/ui';
import { Pager, identityPoolPath, usePaged } from './shared';
import './identity-pools.css';

const PAGE_SIZE = 20;

export function IdentityPools() {
  const pools = usePaged(async (token) => {
    const page = await identity('ListIdentityPools', { MaxResults: PAGE_SIZE, NextToken: token });
    return { items: page.IdentityPools ?? [], next: page.NextToken };
  }, 'identity-pools');
  return (
    <>
      <PageTitle
        actions={
          <Link className="button primary" to="/identity-pools/new">
            Create new identity pool
          </Link>
        }
      >
        Identity pools
      </PageTitle>
      <p>Federated identities: AWS credentials, through roles, for the users of your user pools.</p>
      <ErrorNotice error={pools.error} />
      {pools.loading && !pools.data ? (
        <Loading what="identity pools" />
      ) : (
        <Table
          head={['Identity pool name', 'Identity pool ID']}
          empty="No identity pools yet. Choose Create new identity pool."
          rows={(pools.data?.items ?? []).map((p) => [
            <Link key="name" to={identityPoolPath(p.IdentityPoolId ?? '')}>
              {p.IdentityPoolName}
            </Link>,
            <code key="id">{p.IdentityPoolId}</code>,
          ])}
        />
      )}
      <Pager pager={pools} />
    </>
  );
}
