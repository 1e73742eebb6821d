// Policies: the password policy and who may create users (self sign-up or administrators only), as UpdateUserPool
// sets them (Policies.PasswordPolicy, AdminCreateUserConfig).
import { useState } from 'react';
import type { PasswordPolicyType } from '@aws-sdk/client-cognito-identity-provider';
import { Checkbox, NumberField, Radio } from '../../components/ui';
import { usePool } from './context';
import { EditForm, Section, yesNo } from './parts';
import { updatePool } from './updatable';

type SignUp = 'self' | 'admin';

function PoliciesEditor({ done }: { done: (saved: boolean) => void }) {
  const { pool, poolId, reload } = usePool();
  const p = pool.Policies?.PasswordPolicy ?? {};
  const [policy, setPolicy] = useState<PasswordPolicyType>({
    MinimumLength: p.MinimumLength ?? 8,
    RequireNumbers: p.RequireNumbers ?? false,
    RequireSymbols: p.RequireSymbols ?? false,
    RequireUppercase: p.RequireUppercase ?? false,
    RequireLowercase: p.RequireLowercase ?? false,
    TemporaryPasswordValidityDays: p.TemporaryPasswordValidityDays ?? 7,
  });
  const [signUp, setSignUp] = useState<SignUp>(pool.AdminCreateUserConfig?.AllowAdminCreateUserOnly ? 'admin' : 'self');
  const set = (patch: Partial<PasswordPolicyType>) => setPolicy((x) => ({ ...x, ...patch }));
  return (
    <EditForm
      done={done}
      onSave={async () => {
        await updatePool(poolId, (current) => ({
          Policies: { ...current.Policies, PasswordPolicy: { ...current.Policies?.PasswordPolicy, ...policy } },
          AdminCreateUserConfig: { ...current.AdminCreateUserConfig, AllowAdminCreateUserOnly: signUp === 'admin' },
        }));
        reload();
      }}
    >
      <h3>What password strength do you want to require?</h3>
      <NumberField label="Minimum length" value={policy.MinimumLength ?? NaN} min={6} max={99} onChange={(MinimumLength) => set({ MinimumLength })} />
      <Checkbox label="Require numbers" checked={!!policy.RequireNumbers} onChange={(RequireNumbers) => set({ RequireNumbers })} />
      <Checkbox label="Require special character" checked={!!policy.RequireSymbols} onChange={(RequireSymbols) => set({ RequireSymbols })} />
      <Checkbox label="Require uppercase letters" checked={!!policy.RequireUppercase} onChange={(RequireUppercase) => set({ RequireUppercase })} />
      <Checkbox label="Require lowercase letters" checked={!!policy.RequireLowercase} onChange={(RequireLowercase) => set({ RequireLowercase })} />
      <Radio<SignUp>
        legend="Do you want to allow users to sign themselves up?"
        value={signUp}
        onChange={setSignUp}
        options={[
          { value: 'self', label: 'Allow users to sign themselves up' },
          { value: 'admin', label: 'Only allow administrators to create users' },
        ]}
      />
      <NumberField
        label="Days to expire (temporary passwords)"
        value={policy.TemporaryPasswordValidityDays ?? NaN}
        min={0}
        max={365}
        onChange={(TemporaryPasswordValidityDays) => set({ TemporaryPasswordValidityDays })}
        hint="How long a temporary password set by an administrator stays valid."
      />
    </EditForm>
  );
}

export function PoliciesSection() {
  const { pool } = usePool();
  const p = pool.Policies?.PasswordPolicy ?? {};
  return (
    <Section title="Policies" edit={(done) => <PoliciesEditor done={done} />}>
      <dl className="summary">
        <dt>Minimum length</dt>
        <dd>{p.MinimumLength ?? 8}</dd>
        <dt>Require numbers</dt>
        <dd>{yesNo(p.RequireNumbers)}</dd>
        <dt>Require special character</dt>
        <dd>{yesNo(p.RequireSymbols)}</dd>
        <dt>Require uppercase letters</dt>
        <dd>{yesNo(p.RequireUppercase)}</dd>
        <dt>Require lowercase letters</dt>
        <dd>{yesNo(p.RequireLowercase)}</dd>
        {p.PasswordHistorySize !== undefined && (
          <>
            <dt>Password history</dt>
            <dd>{p.PasswordHistorySize}</dd>
          </>
        )}
        <dt>Temporary passwords expire after</dt>
        <dd>{p.TemporaryPasswordValidityDays ?? 7} days</dd>
        <dt>Who can create users</dt>
        <dd>{pool.AdminCreateUserConfig?.AllowAdminCreateUserOnly ? 'Only administrators' : 'Users can sign themselves up'}</dd>
      </dl>
    </Section>
  );
}
