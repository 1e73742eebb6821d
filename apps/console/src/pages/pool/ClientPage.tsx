// An app client's page: its settings (DescribeUserPoolClient) with "Edit" (UpdateUserPoolClient, the full current
// set overlaid), its hosted sign-in link, "Delete", and, right after "Add an app client" only, its secret.
import { useEffect, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import type { UserPoolClientType } from '@aws-sdk/client-cognito-identity-provider';
import { ActionButton, CopyField, ErrorNotice, formatDate, Loading, Notice, useLoad } from '../../components/ui';
import { asDate, idp } from '../../lib/api';
import { usePool } from './context';
import { AUTH_FLOWS, ClientForm, clientFormFrom, updateRequest } from './ClientForm';
import { forgetSecret, peekSecret } from './secret-once';
import { hostedSignInLink, useEndpoint } from './hosted';
import { listText, Section, yesNo } from './parts';

function validity(value: number | undefined, unit: string | undefined, fallbackUnit: string): string {
  return value === undefined ? '—' : `${value} ${unit ?? fallbackUnit}`;
}

function ClientSummary({ c }: { c: UserPoolClientType }) {
  const { pool } = usePool();
  const endpoint = useEndpoint();
  const u = c.TokenValidityUnits ?? {};
  const link = hostedSignInLink(endpoint, pool.Domain, c);
  return (
    <>
      <dl className="summary">
        <dt>App client name</dt>
        <dd>{c.ClientName}</dd>
        <dt>Client secret</dt>
        <dd>{c.ClientSecret ? 'Yes (not shown)' : 'No secret'}</dd>
        <dt>Refresh token expiration</dt>
        <dd>{validity(c.RefreshTokenValidity, u.RefreshToken, 'days')}</dd>
        <dt>Access token expiration</dt>
        <dd>{validity(c.AccessTokenValidity, u.AccessToken, 'hours')}</dd>
        <dt>ID token expiration</dt>
        <dd>{validity(c.IdTokenValidity, u.IdToken, 'hours')}</dd>
        <dt>Authentication flow session</dt>
        <dd>{c.AuthSessionValidity ?? 3} minutes</dd>
        <dt>Auth flows</dt>
        <dd>{listText((c.ExplicitAuthFlows ?? []).map((f) => AUTH_FLOWS.find((x) => x.value === f)?.value ?? f))}</dd>
        <dt>Prevent user existence errors</dt>
        <dd>{c.PreventUserExistenceErrors === 'ENABLED' ? 'Enabled' : 'Legacy'}</dd>
        <dt>Token revocation</dt>
        <dd>{yesNo(c.EnableTokenRevocation)}</dd>
        <dt>Readable attributes</dt>
        <dd>{listText(c.ReadAttributes, 'All')}</dd>
        <dt>Writable attributes</dt>
        <dd>{listText(c.WriteAttributes, 'All')}</dd>
        <dt>Enabled identity providers</dt>
        <dd>{listText(c.SupportedIdentityProviders)}</dd>
        <dt>Callback URL(s)</dt>
        <dd>{listText(c.CallbackURLs)}</dd>
        <dt>Sign out URL(s)</dt>
        <dd>{listText(c.LogoutURLs)}</dd>
        <dt>Allowed OAuth flows</dt>
        <dd>{c.AllowedOAuthFlowsUserPoolClient ? listText(c.AllowedOAuthFlows) : 'None (OAuth not enabled)'}</dd>
        <dt>Allowed OAuth scopes</dt>
        <dd>{listText(c.AllowedOAuthScopes)}</dd>
        <dt>Created</dt>
        <dd>{formatDate(asDate(c.CreationDate))}</dd>
        <dt>Last modified</dt>
        <dd>{formatDate(asDate(c.LastModifiedDate))}</dd>
      </dl>
      <h3>Hosted sign-in page</h3>
      {link.url ? (
        <p>
          <a href={link.url} target="_blank" rel="noreferrer">
            Launch hosted sign-in page
          </a>{' '}
          <code className="wrap">{link.url}</code>
        </p>
      ) : (
        <p className="hint">No hosted sign-in page: this needs {link.missing.join(', ')}.</p>
      )}
    </>
  );
}

export function ClientPage() {
  const { poolId, base } = usePool();
  const { clientId = '' } = useParams();
  const navigate = useNavigate();
  const client = useLoad(() => idp('DescribeUserPoolClient', { UserPoolId: poolId, ClientId: clientId }), [poolId, clientId]);
  // The secret of a client created a moment ago in this page: shown this once, then forgotten.
  const [secret] = useState(() => peekSecret(clientId));
  useEffect(() => forgetSecret(clientId), [clientId]);
  const crumbs = (
    <p className="crumbs">
      <Link to={`${base}/clients`}>App clients</Link> / {client.data?.UserPoolClient?.ClientName ?? clientId}
    </p>
  );
  const c = client.data?.UserPoolClient;
  return (
    <>
      {crumbs}
      {secret && (
        <section className="panel secret-once" aria-label="New app client secret">
          <Notice kind="success">App client created. This is the only time its secret is shown: copy it now. The console will not show it again.</Notice>
          <CopyField label="App client secret" value={secret} />
        </section>
      )}
      {!c ? (
        client.error ? (
          <ErrorNotice error={client.error} />
        ) : (
          <Loading what="the app client" />
        )
      ) : (
        <Section
          title={`App client ${c.ClientName}`}
          actions={
            <ActionButton
              kind="danger"
              confirm={`Delete the app client ${c.ClientName}? Apps using it can no longer sign users in.`}
              onClick={async () => {
                await idp('DeleteUserPoolClient', { UserPoolId: poolId, ClientId: clientId });
                await navigate(`${base}/clients`);
              }}
            >
              Delete
            </ActionButton>
          }
          edit={(done) => {
            const initial = clientFormFrom(c);
            return (
              <ClientForm
                initial={initial}
                creating={false}
                submitLabel="Save app client changes"
                onCancel={() => done(false)}
                onSubmit={async (v) => {
                  const { UserPoolClient: fresh } = await idp('DescribeUserPoolClient', { UserPoolId: poolId, ClientId: clientId });
                  await idp('UpdateUserPoolClient', updateRequest(fresh ?? c, initial, v));
                  client.reload();
                  done(true);
                }}
              />
            );
          }}
        >
          <CopyField label="App client id" value={c.ClientId ?? clientId} />
          <ClientSummary c={c} />
        </Section>
      )}
    </>
  );
}
