// MFA and verifications: MFA off/optional/required and its second factors (SetUserPoolMfaConfig), the attributes
// verified automatically, account recovery and "keep original attribute value" (UpdateUserPool).
import { useState } from 'react';
import type { AccountRecoverySettingType, RecoveryOptionType, UserPoolMfaType, VerifiedAttributeType } from '@aws-sdk/client-cognito-identity-provider';
import { Checkbox, ErrorNotice, Loading, Radio, Select, TextField, useLoad } from '../../components/ui';
import { idp } from '../../lib/api';
import { accountOf, usePool } from './context';
import { CheckGroup, EditForm, listText, Section } from './parts';
import { updatePool } from './updatable';

type Recovery = 'email-phone' | 'phone-email' | 'email' | 'phone' | 'admin' | 'unset' | 'custom';
type Factor = 'SMS' | 'TOTP';

const RECOVERY: Record<Exclude<Recovery, 'custom'>, { label: string; mechanisms?: RecoveryOptionType[] }> = {
  'email-phone': {
    label: 'Email if available, otherwise phone',
    mechanisms: [
      { Name: 'verified_email', Priority: 1 },
      { Name: 'verified_phone_number', Priority: 2 },
    ],
  },
  'phone-email': {
    label: 'Phone if available, otherwise email',
    mechanisms: [
      { Name: 'verified_phone_number', Priority: 1 },
      { Name: 'verified_email', Priority: 2 },
    ],
  },
  email: { label: 'Email only', mechanisms: [{ Name: 'verified_email', Priority: 1 }] },
  phone: { label: 'Phone only', mechanisms: [{ Name: 'verified_phone_number', Priority: 1 }] },
  admin: { label: 'None: users will have to contact an administrator to reset their passwords', mechanisms: [{ Name: 'admin_only', Priority: 1 }] },
  unset: { label: 'Not set (phone if available, otherwise email)' },
};

function recoveryOf(setting: AccountRecoverySettingType | undefined): Recovery {
  const names = [...(setting?.RecoveryMechanisms ?? [])].sort((a, b) => (a.Priority ?? 0) - (b.Priority ?? 0)).map((m) => m.Name);
  const key = names.join(',');
  if (!key) return 'unset';
  for (const [k, v] of Object.entries(RECOVERY)) if ((v.mechanisms ?? []).map((m) => m.Name).join(',') === key) return k as Recovery;
  return 'custom';
}

const FACTORS: { value: Factor; label: string }[] = [
  { value: 'SMS', label: 'SMS text message' },
  { value: 'TOTP', label: 'Time-based One-time Password' },
];

const MFA_LABEL: Record<UserPoolMfaType, string> = { OFF: 'Off', OPTIONAL: 'Optional', ON: 'Required' };

function MfaEditor({ done, factors }: { done: (saved: boolean) => void; factors: Factor[] }) {
  const { pool, poolId, reload } = usePool();
  const [mode, setMode] = useState<UserPoolMfaType>(pool.MfaConfiguration ?? 'OFF');
  const [chosen, setChosen] = useState<Factor[]>(factors);
  const [smsMessage, setSmsMessage] = useState(pool.SmsAuthenticationMessage ?? 'Your authentication code is {####}. ');
  const [snsArn, setSnsArn] = useState(pool.SmsConfiguration?.SnsCallerArn ?? `arn:aws:iam::${accountOf(pool)}:role/corral-sms`);
  const auto = (pool.AutoVerifiedAttributes ?? []) as VerifiedAttributeType[];
  const [verify, setVerify] = useState<VerifiedAttributeType[]>(auto);
  const [recovery, setRecovery] = useState<Recovery>(recoveryOf(pool.AccountRecoverySetting));
  const [keepOriginal, setKeepOriginal] = useState((pool.UserAttributeUpdateSettings?.AttributesRequireVerificationBeforeUpdate ?? []).length > 0);
  const mfaChanged =
    mode !== (pool.MfaConfiguration ?? 'OFF') ||
    chosen.slice().sort().join() !== factors.slice().sort().join() ||
    (chosen.includes('SMS') && (smsMessage !== (pool.SmsAuthenticationMessage ?? smsMessage) || snsArn !== pool.SmsConfiguration?.SnsCallerArn));
  return (
    <EditForm
      done={done}
      onSave={async () => {
        if (mfaChanged) {
          const current = await idp('GetUserPoolMfaConfig', { UserPoolId: poolId });
          const on = mode !== 'OFF';
          await idp('SetUserPoolMfaConfig', {
            UserPoolId: poolId,
            MfaConfiguration: mode,
            SoftwareTokenMfaConfiguration: { Enabled: on && chosen.includes('TOTP') },
            ...(on && chosen.includes('SMS')
              ? { SmsMfaConfiguration: { SmsAuthenticationMessage: smsMessage, SmsConfiguration: { ...pool.SmsConfiguration, SnsCallerArn: snsArn } } }
              : {}),
            ...(on && current.EmailMfaConfiguration ? { EmailMfaConfiguration: current.EmailMfaConfiguration } : {}),
          });
        }
        await updatePool(poolId, (current) => ({
          AutoVerifiedAttributes: verify,
          AccountRecoverySetting:
            recovery === 'custom' ? current.AccountRecoverySetting : recovery === 'unset' ? undefined : { RecoveryMechanisms: RECOVERY[recovery].mechanisms },
          UserAttributeUpdateSettings: keepOriginal
            ? { AttributesRequireVerificationBeforeUpdate: verify }
            : current.UserAttributeUpdateSettings
              ? { AttributesRequireVerificationBeforeUpdate: [] }
              : undefined,
        }));
        reload();
      }}
    >
      <Radio<UserPoolMfaType>
        legend="Do you want to enable Multi-Factor Authentication (MFA)?"
        value={mode}
        onChange={setMode}
        options={[
          { value: 'OFF', label: 'Off' },
          { value: 'OPTIONAL', label: 'Optional' },
          { value: 'ON', label: 'Required' },
        ]}
      />
      {mode !== 'OFF' && (
        <>
          <CheckGroup legend="Which second factors do you want to enable?" options={FACTORS} value={chosen} onChange={setChosen} />
          {chosen.includes('SMS') && (
            <>
              <TextField label="SMS authentication message" value={smsMessage} onChange={setSmsMessage} hint="{####} is replaced by the code." />
              <TextField
                label="SNS caller role ARN"
                value={snsArn}
                onChange={setSnsArn}
                hint="The role Cognito would send SMS with. Corral delivers SMS to its mailbox."
              />
            </>
          )}
        </>
      )}
      <CheckGroup<VerifiedAttributeType>
        legend="Which attributes do you want to verify?"
        options={[
          { value: 'email', label: 'Email' },
          { value: 'phone_number', label: 'Phone number' },
        ]}
        value={verify}
        onChange={setVerify}
      />
      <Checkbox
        label="Keep original attribute value active when an update is pending"
        checked={keepOriginal}
        onChange={setKeepOriginal}
        hint="Until the user verifies the new email or phone number, the old one stays in use."
      />
      <Select<Recovery>
        label="How will a user be able to recover their account?"
        value={recovery}
        onChange={setRecovery}
        options={[
          ...Object.entries(RECOVERY).map(([value, r]) => ({ value: value as Recovery, label: r.label })),
          ...(recovery === 'custom' ? [{ value: 'custom' as Recovery, label: 'As set through the API (kept)' }] : []),
        ]}
      />
    </EditForm>
  );
}

export function MfaSection() {
  const { pool, poolId } = usePool();
  const mfa = useLoad(() => idp('GetUserPoolMfaConfig', { UserPoolId: poolId }), [poolId, pool]);
  const factors: Factor[] = [];
  if (mfa.data?.SmsMfaConfiguration) factors.push('SMS');
  if (mfa.data?.SoftwareTokenMfaConfiguration?.Enabled) factors.push('TOTP');
  const recovery = recoveryOf(pool.AccountRecoverySetting);
  return (
    <Section title="MFA and verifications" edit={mfa.data ? (done) => <MfaEditor done={done} factors={factors} /> : undefined}>
      {mfa.error ? <ErrorNotice error={mfa.error} /> : !mfa.data && <Loading what="the MFA configuration" />}
      <dl className="summary">
        <dt>Multi-Factor Authentication</dt>
        <dd>{MFA_LABEL[pool.MfaConfiguration ?? 'OFF']}</dd>
        <dt>Second factors</dt>
        <dd>
          {mfa.data
            ? listText([...factors.map((f) => FACTORS.find((x) => x.value === f)!.label), ...(mfa.data.EmailMfaConfiguration ? ['Email message'] : [])])
            : '…'}
        </dd>
        {pool.SmsAuthenticationMessage && (
          <>
            <dt>SMS authentication message</dt>
            <dd>{pool.SmsAuthenticationMessage}</dd>
          </>
        )}
        <dt>Attributes verified automatically</dt>
        <dd>{listText(pool.AutoVerifiedAttributes)}</dd>
        <dt>Keep original attribute value while an update is pending</dt>
        <dd>{listText(pool.UserAttributeUpdateSettings?.AttributesRequireVerificationBeforeUpdate, 'No')}</dd>
        <dt>Account recovery</dt>
        <dd>
          {recovery === 'custom'
            ? (pool.AccountRecoverySetting?.RecoveryMechanisms ?? []).map((m) => `${m.Priority}. ${m.Name}`).join(', ')
            : RECOVERY[recovery].label}
        </dd>
      </dl>
    </Section>
  );
}
