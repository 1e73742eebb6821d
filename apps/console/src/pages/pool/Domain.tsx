// Domain name: the pool's domain prefix (DescribeUserPool's Domain → DescribeUserPoolDomain), "Create domain"
// (CreateUserPoolDomain) and "Delete domain", and each app client's hosted sign-in page link (or what it lacks).
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router-dom';
import { ActionButton, CopyField, ErrorNotice, Loading, Table, TextField, useLoad } from '../../components/ui';
import { FormButtons, useAction } from '../../components/form';
import { idp } from '../../lib/api';
import { regionOf, usePool } from './context';
import { clientPath } from './AppClients';
import { domainBase, hostedSignInLink, useEndpoint } from './hosted';
import { Section } from './parts';

function CreateDomain() {
  const { poolId, reload } = usePool();
  const [prefix, setPrefix] = useState('');
  const { busy, error, run } = useAction();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    return run(async () => {
      await idp('CreateUserPoolDomain', { UserPoolId: poolId, Domain: prefix.trim() });
      reload();
    });
  };
  return (
    <form className="edit-form" onSubmit={(e) => void submit(e)}>
      <p>This pool has no domain, so it has no hosted sign-in page or OAuth 2.0 endpoints.</p>
      <TextField
        label="Domain prefix"
        value={prefix}
        onChange={setPrefix}
        required
        hint={`Lower-case letters, numbers and hyphens. Cognito's https://<prefix>.auth.${regionOf(poolId)}.amazoncognito.com is served by Corral at /_domains/<prefix>.`}
      />
      <FormButtons error={error} busy={busy} submit="Create domain" />
    </form>
  );
}

function HostedLinks() {
  const { poolId, pool, base } = usePool();
  const endpoint = useEndpoint();
  const clients = useLoad(async () => {
    const list = await idp('ListUserPoolClients', { UserPoolId: poolId, MaxResults: 60 });
    return Promise.all(
      (list.UserPoolClients ?? []).map(async (c) => (await idp('DescribeUserPoolClient', { UserPoolId: poolId, ClientId: c.ClientId })).UserPoolClient ?? c),
    );
  }, [poolId, pool]);
  return (
    <Section title="Hosted sign-in page">
      <ErrorNotice error={clients.error} />
      {!clients.data && !clients.error && <Loading what="app clients" />}
      {clients.data && (
        <Table
          head={['App client', 'Hosted sign-in page']}
          rows={clients.data.map((c) => {
            const link = hostedSignInLink(endpoint, pool.Domain, c);
            return [
              <Link key="c" to={clientPath(base, c.ClientId!)}>
                {c.ClientName}
              </Link>,
              link.url ? (
                <span key="l">
                  <a href={link.url} target="_blank" rel="noreferrer" aria-label={`Hosted sign-in page of ${c.ClientName}`}>
                    Launch hosted sign-in page
                  </a>
                  <br />
                  <code className="wrap">{link.url}</code>
                </span>
              ) : (
                <span key="m" className="hint">
                  Needs {link.missing.join(', ')}.
                </span>
              ),
            ];
          })}
          empty="No app clients."
        />
      )}
    </Section>
  );
}

export function DomainName() {
  const { pool, poolId, reload } = usePool();
  const endpoint = useEndpoint();
  const domain = pool.Domain;
  const described = useLoad(async () => (domain ? idp('DescribeUserPoolDomain', { Domain: domain }) : undefined), [domain]);
  const d = described.data?.DomainDescription;
  return (
    <>
      <Section title="Domain name">
        {!domain ? (
          <CreateDomain />
        ) : (
          <>
            <ErrorNotice error={described.error} />
            <dl className="summary">
              <dt>Domain prefix</dt>
              <dd>{domain}</dd>
              <dt>Status</dt>
              <dd>{d?.Status ?? '…'}</dd>
              <dt>In Cognito</dt>
              <dd>
                <code>
                  https://{domain}.auth.{regionOf(poolId)}.amazoncognito.com
                </code>
              </dd>
            </dl>
            <CopyField label="Domain URL" value={domainBase(endpoint, domain)} />
            <div className="toolbar">
              <ActionButton
                kind="danger"
                confirm={`Delete the domain ${domain}? The hosted sign-in page and the OAuth 2.0 endpoints stop working.`}
                onClick={async () => {
                  await idp('DeleteUserPoolDomain', { UserPoolId: poolId, Domain: domain });
                  reload();
                }}
              >
                Delete domain
              </ActionButton>
            </div>
          </>
        )}
      </Section>
      <HostedLinks />
    </>
  );
}
