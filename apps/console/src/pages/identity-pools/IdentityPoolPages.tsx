// An identity pool's pages (/identity-pools/:identityPoolId/*): Dashboard (the id to copy), Edit identity pool,
// Roles and role mappings, Identities.
import { Link, NavLink, Navigate, Route, Routes, useLocation, useParams } from 'react-router-dom';
import type { IdentityPool } from '@aws-sdk/client-cognito-identity';
import { identity } from '../../lib/api';
import { CopyField, ErrorNotice, Loading, Notice, PageTitle, useLoad } from '../../components/ui';
import { EditIdentityPool } from './EditIdentityPool';
import { RolesAndMappings } from './RolesAndMappings';
import { Identities, countIdentities } from './Identities';
import { identityPoolPath, poolIdOfProvider } from './shared';
import './identity-pools.css';

export interface PoolPageProps {
  pool: IdentityPool;
  reload: () => void;
}

function Dashboard({ pool }: PoolPageProps) {
  const id = pool.IdentityPoolId!;
  const location = useLocation();
  const state = location.state as { created?: boolean; rolesAllowed?: boolean } | null;
  const roles = useLoad(() => identity('GetIdentityPoolRoles', { IdentityPoolId: id }), [id]);
  const count = useLoad(() => countIdentities(id), [id]);
  const providers = pool.CognitoIdentityProviders ?? [];
  return (
    <>
      {state?.created && (
        <Notice kind="success">
          Identity pool created
          {state.rolesAllowed ? ', with its authenticated and unauthenticated roles' : ' without roles (Don’t Allow): set them under Roles and role mappings'}.
        </Notice>
      )}
      <section className="panel">
        <h2>Dashboard</h2>
        <CopyField label="Identity pool ID" value={id} />
        <dl className="summary">
          <dt>Identity pool name</dt>
          <dd>{pool.IdentityPoolName}</dd>
          <dt>Unauthenticated identities</dt>
          <dd>{pool.AllowUnauthenticatedIdentities ? 'Enabled' : 'Disabled'}</dd>
          <dt>Basic (classic) flow</dt>
          <dd>{pool.AllowClassicFlow ? 'Allowed' : 'Not allowed'}</dd>
          <dt>Authentication providers</dt>
          <dd>
            {providers.length === 0 ? (
              'None'
            ) : (
              <ul className="plain">
                {providers.map((p) => {
                  const poolId = poolIdOfProvider(p.ProviderName);
                  return (
                    <li key={`${p.ProviderName}:${p.ClientId}`}>
                      Cognito user pool <Link to={`/user-pools/${poolId}`}>{poolId}</Link>, app client <code>{p.ClientId}</code>
                      {p.ServerSideTokenCheck ? ' (server-side token check)' : ''}
                    </li>
                  );
                })}
              </ul>
            )}
          </dd>
          <dt>Authenticated role</dt>
          <dd className="wrap">{roles.data ? <code>{roles.data.Roles?.authenticated ?? 'none'}</code> : roles.error ? '—' : '…'}</dd>
          <dt>Unauthenticated role</dt>
          <dd className="wrap">{roles.data ? <code>{roles.data.Roles?.unauthenticated ?? 'none'}</code> : roles.error ? '—' : '…'}</dd>
          <dt>Role mappings</dt>
          <dd>{roles.data ? Object.keys(roles.data.RoleMappings ?? {}).length || 'None' : '…'}</dd>
          <dt>Identities</dt>
          <dd>
            {count.data ? (
              <Link to={identityPoolPath(id, 'identities')}>{count.data.more ? `${count.data.count}+` : count.data.count}</Link>
            ) : count.error ? (
              '—'
            ) : (
              '…'
            )}
          </dd>
        </dl>
        <ErrorNotice error={roles.error ?? count.error} />
      </section>
    </>
  );
}

export function IdentityPoolPages() {
  const { identityPoolId = '' } = useParams();
  const pool = useLoad(() => identity('DescribeIdentityPool', { IdentityPoolId: identityPoolId }), [identityPoolId]);
  if (!pool.data) {
    return (
      <>
        <PageTitle>Identity pool</PageTitle>
        {pool.loading ? <Loading what="the identity pool" /> : <ErrorNotice error={pool.error} />}
        <p>
          <Link to="/identity-pools">All identity pools</Link>
        </p>
      </>
    );
  }
  const props: PoolPageProps = { pool: pool.data, reload: pool.reload };
  const nav = (page: string, label: string) => (
    <NavLink to={identityPoolPath(identityPoolId, page)} end>
      {label}
    </NavLink>
  );
  return (
    <>
      <PageTitle>{pool.data.IdentityPoolName}</PageTitle>
      <div className="layout-side">
        <nav className="side-nav" aria-label="Identity pool">
          {nav('', 'Dashboard')}
          {nav('edit', 'Edit identity pool')}
          {nav('roles', 'Roles and role mappings')}
          {nav('identities', 'Identities')}
          <Link to="/identity-pools">All identity pools</Link>
        </nav>
        <div className="side-content">
          <Routes>
            <Route index element={<Dashboard {...props} />} />
            <Route path="edit" element={<EditIdentityPool {...props} />} />
            <Route path="roles" element={<RolesAndMappings {...props} />} />
            <Route path="identities" element={<Identities {...props} />} />
            <Route path="*" element={<Navigate to={identityPoolPath(identityPoolId)} replace />} />
          </Routes>
        </div>
      </div>
    </>
  );
}
