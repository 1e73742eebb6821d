// A user pool's pages (/user-pools/:poolId/*): the side nav of the Cognito console ("General settings", "Users and
// groups", the settings sections, "App clients", "Triggers", "Domain name", "Signing keys") and their nested routes.
// DescribeUserPool is read here once and shared (PoolContext); a page that changes the pool calls reload().
import { useMemo } from 'react';
import { Link, NavLink, Route, Routes, useLocation, useParams } from 'react-router-dom';
import { ErrorNotice, Loading, PageTitle, useLoad } from '../../components/ui';
import { idp } from '../../lib/api';
import { PoolContext, type PoolContextValue } from './context';
import { GeneralSettings } from './GeneralSettings';
import { AttributesSection } from './AttributesSection';
import { PoliciesSection } from './PoliciesSection';
import { MfaSection } from './MfaSection';
import { MessagesSection } from './MessagesSection';
import { TagsSection } from './TagsSection';
import { DevicesSection } from './DevicesSection';
import { TriggersSection } from './TriggersSection';
import { UsersTab } from './Users';
import { UserPage } from './UserPage';
import { GroupPage, GroupsTab } from './Groups';
import { AppClients, NewAppClient } from './AppClients';
import { ClientPage } from './ClientPage';
import { DomainName } from './Domain';
import { SigningKeys } from './SigningKeys';
import './pool.css';

const NAV: { path: string; label: string }[] = [
  { path: '', label: 'General settings' },
  { path: 'users', label: 'Users and groups' },
  { path: 'attributes', label: 'Attributes' },
  { path: 'policies', label: 'Policies' },
  { path: 'mfa', label: 'MFA and verifications' },
  { path: 'messages', label: 'Message customizations' },
  { path: 'tags', label: 'Tags' },
  { path: 'devices', label: 'Devices' },
  { path: 'clients', label: 'App clients' },
  { path: 'triggers', label: 'Triggers' },
  { path: 'domain', label: 'Domain name' },
  { path: 'signing-keys', label: 'Signing keys' },
];

function SideNav({ base }: { base: string }) {
  const { pathname } = useLocation();
  const rest = pathname.startsWith(base) ? pathname.slice(base.length).replace(/^\//, '') : '';
  return (
    <nav className="side-nav" aria-label="User pool">
      {NAV.map((item) => {
        const to = item.path ? `${base}/${item.path}` : base;
        if (item.path === 'users') {
          const active = /^(users|groups)(\/|$)/.test(rest);
          return (
            <Link key={item.path} to={to} className={active ? 'active' : undefined} aria-current={active ? 'page' : undefined}>
              {item.label}
            </Link>
          );
        }
        return (
          <NavLink key={item.path} to={to} end={item.path === ''}>
            {item.label}
          </NavLink>
        );
      })}
    </nav>
  );
}

export function PoolPages() {
  const { poolId = '' } = useParams();
  const base = `/user-pools/${encodeURIComponent(poolId)}`;
  const { data, error, reload } = useLoad(() => idp('DescribeUserPool', { UserPoolId: poolId }), [poolId]);
  const pool = data?.UserPool;
  const value = useMemo<PoolContextValue | undefined>(() => (pool ? { poolId, pool, base, reload } : undefined), [pool, poolId, base, reload]);

  if (!value) {
    return (
      <>
        <p className="crumbs">
          <Link to="/user-pools">User pools</Link> / {poolId}
        </p>
        <PageTitle>User pool {poolId}</PageTitle>
        {error ? <ErrorNotice error={error} /> : <Loading what="the user pool" />}
      </>
    );
  }
  return (
    <PoolContext.Provider value={value}>
      <p className="crumbs">
        <Link to="/user-pools">User pools</Link> / {value.pool.Name}
      </p>
      <PageTitle>{value.pool.Name}</PageTitle>
      {!!error && <ErrorNotice error={error} />}
      <div className="layout-side">
        <SideNav base={base} />
        <div className="pool-content">
          <Routes>
            <Route index element={<GeneralSettings />} />
            <Route path="users" element={<UsersTab />} />
            <Route path="users/:username" element={<UserPage />} />
            <Route path="groups" element={<GroupsTab />} />
            <Route path="groups/:groupName" element={<GroupPage />} />
            <Route path="attributes" element={<AttributesSection />} />
            <Route path="policies" element={<PoliciesSection />} />
            <Route path="mfa" element={<MfaSection />} />
            <Route path="messages" element={<MessagesSection />} />
            <Route path="tags" element={<TagsSection />} />
            <Route path="devices" element={<DevicesSection />} />
            <Route path="triggers" element={<TriggersSection />} />
            <Route path="clients" element={<AppClients />} />
            <Route path="clients/new" element={<NewAppClient />} />
            <Route path="clients/:clientId" element={<ClientPage />} />
            <Route path="domain" element={<DomainName />} />
            <Route path="signing-keys" element={<SigningKeys />} />
            <Route path="*" element={<p>There is no such page for this user pool.</p>} />
          </Routes>
        </div>
      </div>
    </PoolContext.Provider>
  );
}
