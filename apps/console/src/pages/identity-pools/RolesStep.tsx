// The step after "Create Pool": "Your Cognito identities require access to your resources" — the two roles
// Cognito_<name>Auth_Role and Cognito_<name>Unauth_Role, "Allow" (SetIdentityPoolRoles) or "Don't Allow".
//
// Corral has no IAM: a role is the ARN `arn:aws:iam::<account>:role/<name>` that GetCredentialsForIdentity puts in the
// credentials it issues. The account is Corral's (CORRAL_ACCOUNT_ID), read from a user pool's ARN.
import { useEffect, useState } from 'react';
import type { IdentityPool } from '@aws-sdk/client-cognito-identity';
import { identity } from '../../lib/api';
import { ErrorNotice, Notice, PageTitle, TextField, useLoad } from '../../components/ui';
import { useAction } from '../../components/form';
import { discoverAccountId, Expander, ProblemList, ROLE_NAME, roleArnFor } from './shared';
import './identity-pools.css';

export const DEFAULT_ACCOUNT = '000000000000';

/** The role name the Cognito console proposes: `Cognito_<pool name>Auth_Role` (characters IAM refuses dropped). */
export function defaultRoleName(poolName: string, kind: 'Auth' | 'Unauth'): string {
  const base = poolName.replace(/[^\w+=,.@-]/g, '');
  const suffix = `${kind}_Role`;
  return `Cognito_${base}`.slice(0, 64 - suffix.length) + suffix;
}

/** The policies AWS's console attaches to the roles it creates (shown for reference; Corral keeps no IAM policies). */
export function policyDocuments(identityPoolId: string, kind: 'authenticated' | 'unauthenticated') {
  const permissions = {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Action:
          kind === 'authenticated' ? ['mobileanalytics:PutEvents', 'cognito-sync:*', 'cognito-identity:*'] : ['mobileanalytics:PutEvents', 'cognito-sync:*'],
        Resource: ['*'],
      },
    ],
  };
  const trust = {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Federated: 'cognito-identity.amazonaws.com' },
        Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: {
          StringEquals: { 'cognito-identity.amazonaws.com:aud': identityPoolId },
          'ForAnyValue:StringLike': { 'cognito-identity.amazonaws.com:amr': kind },
        },
      },
    ],
  };
  return { permissions: JSON.stringify(permissions, null, 2), trust: JSON.stringify(trust, null, 2) };
}

function RoleCard(props: { kind: 'authenticated' | 'unauthenticated'; poolId: string; name: string; onName: (v: string) => void; account: string }) {
  const authenticated = props.kind === 'authenticated';
  const docs = policyDocuments(props.poolId, props.kind);
  const arn = roleArnFor(props.account || DEFAULT_ACCOUNT, props.name);
  const title = authenticated ? 'Authenticated identities' : 'Unauthenticated identities';
  return (
    <section className="role-card" aria-label={title}>
      <h2>{title}</h2>
      <p>{authenticated ? 'Your authenticated identities would like access to Cognito.' : 'Your unauthenticated identities would like access to Cognito.'}</p>
      <TextField label={authenticated ? 'Authenticated role name' : 'Unauthenticated role name'} value={props.name} onChange={props.onName} />
      <p className="wrap">
        Role ARN: <code>{arn}</code>
      </p>
      <Expander title="View Details" heading={false}>
        <h3>Role Summary</h3>
        <dl className="summary">
          <dt>Role Description</dt>
          <dd>
            {authenticated ? 'Your authenticated identities would like access to Cognito.' : 'Your unauthenticated identities would like access to Cognito.'}
          </dd>
          <dt>IAM Role</dt>
          <dd>Create a new IAM Role</dd>
          <dt>Role Name</dt>
          <dd>{props.name}</dd>
          <dt>Role ARN</dt>
          <dd className="wrap">
            <code>{arn}</code>
          </dd>
        </dl>
        <h3>Policy Document</h3>
        <pre className="policy" aria-label={`Policy document of the ${props.kind} role`}>
          {docs.permissions}
        </pre>
        <h3>Trust relationship</h3>
        <pre className="policy" aria-label={`Trust relationship of the ${props.kind} role`}>
          {docs.trust}
        </pre>
        <p className="hint">
          Corral has no IAM: the role is the ARN the identity&apos;s credentials carry (GetCredentialsForIdentity). The policies are what AWS would attach,
          shown for reference; Corral does not enforce them.
        </p>
      </Expander>
    </section>
  );
}

export function RolesStep({ pool, onDone }: { pool: IdentityPool; onDone: (allowed: boolean) => void }) {
  const poolName = pool.IdentityPoolName ?? '';
  const discovered = useLoad(() => discoverAccountId(), []);
  const [account, setAccount] = useState('');
  const [accountTouched, setAccountTouched] = useState(false);
  useEffect(() => {
    if (!accountTouched && !discovered.loading) setAccount(discovered.data ?? DEFAULT_ACCOUNT);
  }, [discovered.loading, discovered.data, accountTouched]);
  const [authName, setAuthName] = useState(() => defaultRoleName(poolName, 'Auth'));
  const [unauthName, setUnauthName] = useState(() => defaultRoleName(poolName, 'Unauth'));
  const [problems, setProblems] = useState<string[]>([]);
  const { busy, error, run } = useAction();

  const allow = async () => {
    const found: string[] = [];
    if (!/^\d{12}$/.test(account)) found.push('The AWS account ID is 12 digits.');
    if (!ROLE_NAME.test(authName)) found.push('The authenticated role name may have letters, digits and + = , . @ - _ (up to 64).');
    if (!ROLE_NAME.test(unauthName)) found.push('The unauthenticated role name may have letters, digits and + = , . @ - _ (up to 64).');
    setProblems(found);
    if (found.length) return;
    await run(async () => {
      await identity('SetIdentityPoolRoles', {
        IdentityPoolId: pool.IdentityPoolId!,
        Roles: { authenticated: roleArnFor(account, authName), unauthenticated: roleArnFor(account, unauthName) },
      });
      onDone(true);
    });
  };

  return (
    <>
      <PageTitle>Your Cognito identities require access to your resources</PageTitle>
      <div className="panel">
        <p>
          Assigning a role to your application end users lets them have the permissions of that role. Identity pool <strong>{poolName}</strong> (
          <code>{pool.IdentityPoolId}</code>) needs two: one for authenticated users and one for unauthenticated users. Permissions and settings of these roles
          can be changed later.
        </p>
        <Notice>
          Two new roles will be created: <strong>{authName}</strong> and <strong>{unauthName}</strong>.
        </Notice>
        <TextField
          label="AWS account ID"
          value={account}
          onChange={(v) => {
            setAccountTouched(true);
            setAccount(v.trim());
          }}
          hint={
            discovered.loading
              ? 'Looking up the account…'
              : discovered.data
                ? "Corral's account (CORRAL_ACCOUNT_ID)."
                : `Corral did not say its account: ${DEFAULT_ACCOUNT} is Corral's default (CORRAL_ACCOUNT_ID).`
          }
        />
        <RoleCard kind="authenticated" poolId={pool.IdentityPoolId!} name={authName} onName={setAuthName} account={account} />
        <RoleCard kind="unauthenticated" poolId={pool.IdentityPoolId!} name={unauthName} onName={setUnauthName} account={account} />
        <ProblemList problems={problems} />
        <ErrorNotice error={error} />
        <div className="form-actions">
          <button type="button" className="secondary" disabled={busy} onClick={() => onDone(false)}>
            Don&apos;t Allow
          </button>
          <button type="button" className="primary" disabled={busy || discovered.loading} onClick={() => void allow()}>
            Allow
          </button>
        </div>
      </div>
    </>
  );
}
