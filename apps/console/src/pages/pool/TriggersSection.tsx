// Triggers: the pool's Lambda triggers (UpdateUserPool's LambdaConfig), each chosen from Corral's functions registry
// (CorralAdmin ListFunctions). A trigger names its function by ARN `arn:aws:lambda:<region>:<account>:function:<name>`.
import { useState } from 'react';
import type { LambdaConfigType } from '@aws-sdk/client-cognito-identity-provider';
import { ErrorNotice, Select, Table, useLoad } from '../../components/ui';
import { corral } from '../../lib/api';
import { accountOf, regionOf, usePool } from './context';
import { EditForm, Section } from './parts';
import { updatePool } from './updatable';
import { TRIGGERS, functionArn, functionNameOf, triggerArnOf, type TriggerKey } from '../../lib/triggers';

/** The wizard's triggers, User Migration last (the order of this page). */
const TRIGGER_ROWS = [...TRIGGERS.filter((t) => t.key !== 'UserMigration'), ...TRIGGERS.filter((t) => t.key === 'UserMigration')];

function TriggersEditor({ done, functions }: { done: (saved: boolean) => void; functions: string[] }) {
  const { pool, poolId, reload } = usePool();
  const lc = pool.LambdaConfig ?? {};
  const [chosen, setChosen] = useState<Record<TriggerKey, string>>(
    () => Object.fromEntries(TRIGGER_ROWS.map((t) => [t.key, functionNameOf(triggerArnOf(lc, t.key))])) as Record<TriggerKey, string>,
  );
  const arn = (name: string) => functionArn(name, regionOf(poolId), accountOf(pool));
  return (
    <EditForm
      done={done}
      onSave={async () => {
        await updatePool(poolId, (current) => {
          const next: LambdaConfigType = { ...current.LambdaConfig };
          for (const t of TRIGGER_ROWS) {
            const name = chosen[t.key];
            if (functionNameOf(triggerArnOf(next, t.key)) === name) continue;
            if (t.key === 'PreTokenGeneration') {
              delete next.PreTokenGenerationConfig;
              if (name) next.PreTokenGeneration = arn(name);
              else delete next.PreTokenGeneration;
            } else if (name) next[t.key] = arn(name);
            else delete next[t.key];
          }
          return { LambdaConfig: next };
        });
        reload();
      }}
    >
      {TRIGGER_ROWS.map((t) => {
        const current = chosen[t.key];
        const names = current && !functions.includes(current) ? [...functions, current] : functions;
        return (
          <Select
            key={t.key}
            label={t.label}
            value={current}
            onChange={(v) => setChosen((c) => ({ ...c, [t.key]: v }))}
            options={[{ value: '', label: 'none' }, ...names.map((n) => ({ value: n, label: functions.includes(n) ? n : `${n} (not in the registry)` }))]}
          />
        );
      })}
    </EditForm>
  );
}

export function TriggersSection() {
  const { pool } = usePool();
  const fns = useLoad(() => corral('ListFunctions', {}), []);
  const lc = pool.LambdaConfig ?? {};
  const functions = (fns.data?.Functions ?? []).map((f) => f.Name);
  return (
    <Section title="Triggers" edit={fns.data ? (done) => <TriggersEditor done={done} functions={functions} /> : undefined}>
      {!!fns.error && (
        <>
          <p>The functions registry could not be read, so triggers cannot be chosen:</p>
          <ErrorNotice error={fns.error} />
        </>
      )}
      <Table
        head={['Trigger', 'Function', 'ARN']}
        rows={TRIGGER_ROWS.map((t) => {
          const value = triggerArnOf(lc, t.key);
          return [t.label, value ? functionNameOf(value) : 'none', value ? <code>{value}</code> : ''];
        })}
        empty="No triggers."
      />
      {fns.data && functions.length === 0 && (
        <p className="hint">The functions registry is empty: declare functions in the configuration file or CORRAL_FUNCTIONS_DIR.</p>
      )}
    </Section>
  );
}
