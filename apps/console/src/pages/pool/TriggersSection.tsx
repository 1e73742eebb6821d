// Triggers: the pool's Lambda triggers (UpdateUserPool's LambdaConfig), each chosen from Corral's functions registry
// (CorralAdmin ListFunctions). A trigger names its function by ARN `arn:aws:lambda:<region>:<account>:function:<name>`.
import { useState } from 'react';
import type { LambdaConfigType } from '@aws-sdk/client-cognito-identity-provider';
import { ErrorNotice, Select, Table, useLoad } from '../../components/ui';
import { corral } from '../../lib/api';
import { accountOf, regionOf, usePool } from './context';
import { EditForm, Section } from './parts';
import { updatePool } from './updatable';

type Trigger = keyof Pick<
  LambdaConfigType,
  | 'PreSignUp'
  | 'PreAuthentication'
  | 'CustomMessage'
  | 'PostAuthentication'
  | 'PostConfirmation'
  | 'DefineAuthChallenge'
  | 'CreateAuthChallenge'
  | 'VerifyAuthChallengeResponse'
  | 'PreTokenGeneration'
  | 'UserMigration'
>;

export const TRIGGERS: { key: Trigger; label: string }[] = [
  { key: 'PreSignUp', label: 'Pre sign-up' },
  { key: 'PreAuthentication', label: 'Pre authentication' },
  { key: 'CustomMessage', label: 'Custom message' },
  { key: 'PostAuthentication', label: 'Post authentication' },
  { key: 'PostConfirmation', label: 'Post confirmation' },
  { key: 'DefineAuthChallenge', label: 'Define Auth Challenge' },
  { key: 'CreateAuthChallenge', label: 'Create Auth Challenge' },
  { key: 'VerifyAuthChallengeResponse', label: 'Verify Auth Challenge Response' },
  { key: 'PreTokenGeneration', label: 'Pre Token Generation' },
  { key: 'UserMigration', label: 'User Migration' },
];

/** `<name>` of a Lambda function ARN (or a bare name). */
export function functionNameOf(arn: string | undefined): string {
  if (!arn) return '';
  const m = /:function:([\w-]{1,64})(?::[\w$-]+)?$/.exec(arn);
  return m ? m[1]! : arn;
}

function TriggersEditor({ done, functions }: { done: (saved: boolean) => void; functions: string[] }) {
  const { pool, poolId, reload } = usePool();
  const lc = pool.LambdaConfig ?? {};
  const [chosen, setChosen] = useState<Record<Trigger, string>>(
    () =>
      Object.fromEntries(
        TRIGGERS.map((t) => [
          t.key,
          functionNameOf(t.key === 'PreTokenGeneration' ? (lc.PreTokenGenerationConfig?.LambdaArn ?? lc.PreTokenGeneration) : lc[t.key]),
        ]),
      ) as Record<Trigger, string>,
  );
  const arn = (name: string) => `arn:aws:lambda:${regionOf(poolId)}:${accountOf(pool)}:function:${name}`;
  return (
    <EditForm
      done={done}
      onSave={async () => {
        await updatePool(poolId, (current) => {
          const next: LambdaConfigType = { ...current.LambdaConfig };
          for (const t of TRIGGERS) {
            const name = chosen[t.key];
            const same =
              functionNameOf(t.key === 'PreTokenGeneration' ? (next.PreTokenGenerationConfig?.LambdaArn ?? next.PreTokenGeneration) : next[t.key]) === name;
            if (same) continue;
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
      {TRIGGERS.map((t) => {
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
        rows={TRIGGERS.map((t) => {
          const value = t.key === 'PreTokenGeneration' ? (lc.PreTokenGenerationConfig?.LambdaArn ?? lc.PreTokenGeneration) : lc[t.key];
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
