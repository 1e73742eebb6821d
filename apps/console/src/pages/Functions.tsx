// The functions registry (CorralAdmin.ListFunctions: what a trigger's LambdaConfig ARN can name) and the recent
// invocations (CorralAdmin.ListFunctionInvocations), with duration, outcome and what the function printed, filtered by
// function.
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { corral } from '../lib/api';
import { ErrorNotice, Loading, PageTitle, Select, Table, formatDate, useLoad } from '../components/ui';
import './Mailbox.css';

const MAX_INVOCATIONS = 50;

function OutcomeBadge({ outcome }: { outcome: string }) {
  return <span className={`badge ${outcome === 'Succeeded' ? 'ok' : 'bad'}`}>{outcome}</span>;
}

export function Functions() {
  const functions = useLoad(() => corral('ListFunctions', {}), []);
  const [name, setName] = useState('');
  const invocations = useLoad(() => corral('ListFunctionInvocations', { ...(name ? { FunctionName: name } : {}), MaxResults: MAX_INVOCATIONS }), [name]);
  const registry = functions.data?.Functions ?? [];
  const options = [{ value: '', label: 'All functions' }, ...registry.map((f) => ({ value: f.Name, label: f.Name }))];
  const list = [...(invocations.data?.Invocations ?? [])].sort((a, b) => b.StartedAt - a.StartedAt);
  const refresh = () => {
    functions.reload();
    invocations.reload();
  };
  return (
    <>
      <PageTitle
        actions={
          <button type="button" className="secondary" onClick={refresh}>
            Refresh
          </button>
        }
      >
        Functions
      </PageTitle>
      <p>
        Trigger functions a user pool&apos;s LambdaConfig can name (<code>arn:aws:lambda:&lt;region&gt;:&lt;account&gt;:function:&lt;name&gt;</code>): the
        provisioning file&apos;s <code>functions</code> and the modules in <code>CORRAL_FUNCTIONS_DIR</code>. Each runs in processes of its own; the logs are
        what it printed (the newest 100 runs of each function keep them).
      </p>
      <section className="functions" aria-labelledby="registry-heading">
        <h2 id="registry-heading">Registry</h2>
        <ErrorNotice error={functions.error} />
        {functions.loading && !functions.data ? (
          <Loading what="functions" />
        ) : (
          <Table
            head={['Name', 'Runtime', 'Handler', 'Source']}
            empty="No functions: declare them in the configuration file's functions, or put modules in CORRAL_FUNCTIONS_DIR."
            rows={registry.map((f) => [
              <strong key="n">{f.Name}</strong>,
              f.Runtime,
              <code key="h" className="wrap">
                {f.Handler}
              </code>,
              f.Source,
            ])}
          />
        )}
      </section>
      <section className="functions" aria-labelledby="invocations-heading">
        <h2 id="invocations-heading">Recent invocations</h2>
        <div className="toolbar">
          <Select
            label="Function"
            value={name}
            options={name && !registry.some((f) => f.Name === name) ? [...options, { value: name, label: name }] : options}
            onChange={setName}
          />
        </div>
        <ErrorNotice error={invocations.error} />
        {invocations.loading && !invocations.data ? (
          <Loading what="invocations" />
        ) : (
          <Table
            head={['Time', 'Function', 'Trigger source', 'User pool', 'Duration (ms)', 'Outcome', 'Error', 'Logs']}
            empty={name ? `No invocations of ${name} yet.` : 'No invocations yet.'}
            rows={list.map((i) => [
              <span key="s" className="nowrap">
                {formatDate(i.StartedAt)}
              </span>,
              i.FunctionName,
              <code key="t">{i.TriggerSource}</code>,
              i.UserPoolId ? (
                <Link key="p" className="nowrap" to={`/user-pools/${i.UserPoolId}`}>
                  {i.UserPoolId}
                </Link>
              ) : (
                '—'
              ),
              String(Math.round(i.DurationMs)),
              <OutcomeBadge key="o" outcome={i.Outcome} />,
              i.ErrorMessage ?? '',
              i.Logs ? (
                <details key="l" className="function-logs">
                  <summary>{`${i.Logs.split('\n').filter(Boolean).length} line(s)`}</summary>
                  <pre className="message-body">{i.Logs}</pre>
                </details>
              ) : (
                '—'
              ),
            ])}
          />
        )}
      </section>
    </>
  );
}
