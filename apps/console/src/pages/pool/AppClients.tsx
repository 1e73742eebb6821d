// App clients: the pool's clients (ListUserPoolClients) and "Add an app client" (CreateUserPoolClient). A new
// client's secret goes to its page in memory, to be shown there once (secret-once.ts).
import { Link, useNavigate } from 'react-router-dom';
import { ErrorNotice, Loading, Table, useLoad } from '../../components/ui';
import { Pager, usePaging } from '../../components/paging';
import { idp } from '../../lib/api';
import { usePool } from './context';
import { ClientForm, createRequest, defaultClientForm } from './ClientForm';
import { holdSecret } from './secret-once';
import { Section } from './parts';

export function clientPath(base: string, clientId: string): string {
  return `${base}/clients/${encodeURIComponent(clientId)}`;
}

export function AppClients() {
  const { poolId, base } = usePool();
  const paging = usePaging();
  const clients = useLoad(() => idp('ListUserPoolClients', { UserPoolId: poolId, MaxResults: 60, ...paging.nextToken }), [poolId, paging.n, paging.token]);
  return (
    <Section
      title="App clients"
      actions={
        <Link className="button primary" to={`${base}/clients/new`}>
          Add an app client
        </Link>
      }
    >
      <ErrorNotice error={clients.error} />
      {!clients.data && !clients.error && <Loading what="app clients" />}
      {clients.data && (
        <>
          <Table
            head={['App client name', 'App client id']}
            rows={(clients.data.UserPoolClients ?? []).map((c) => [
              <Link key="n" to={clientPath(base, c.ClientId!)}>
                {c.ClientName}
              </Link>,
              <code key="i">{c.ClientId}</code>,
            ])}
            empty="No app clients yet."
          />
          <Pager paging={paging} next={clients.data.NextToken} />
        </>
      )}
    </Section>
  );
}

export function NewAppClient() {
  const { poolId, base } = usePool();
  const navigate = useNavigate();
  return (
    <Section title="Add an app client">
      <ClientForm
        initial={defaultClientForm()}
        creating
        submitLabel="Create app client"
        onCancel={() => void navigate(`${base}/clients`)}
        onSubmit={async (v) => {
          const { UserPoolClient } = await idp('CreateUserPoolClient', createRequest(poolId, v));
          const id = UserPoolClient!.ClientId!;
          if (UserPoolClient?.ClientSecret) holdSecret(id, UserPoolClient.ClientSecret);
          await navigate(clientPath(base, id));
        }}
      />
    </Section>
  );
}
