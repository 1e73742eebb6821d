// The wizard's setting pages: Attributes, Policies, MFA and verifications, Message customizations, Tags, Devices
// (App clients and Triggers are in ClientsAndTriggers.tsx). Each edits the WizardState through `set` (a partial
// update); nothing is sent before Review.
import { useId } from 'react';
import { Checkbox, Notice, NumberField, TextField } from '../../components/ui';
import { RECOVERY_OPTIONS, STANDARD_ATTRIBUTES, needsSms, smsRoleName, type CustomAttributeDraft, type WizardState } from './wizard-model';
import { Choice, Question, RowField, RowList } from './wizard-ui';

export interface StepProps {
  state: WizardState;
  set: (patch: Partial<WizardState>) => void;
}

type BooleanKey = { [K in keyof WizardState]: WizardState[K] extends boolean ? K : never }[keyof WizardState];

/** The props tying a control to one field of the state: `value` (or `checked`) and `onChange`. */
function binder({ state, set }: StepProps) {
  return {
    value: <K extends keyof WizardState>(key: K) => ({ value: state[key], onChange: (v: WizardState[K]) => set({ [key]: v } as Partial<WizardState>) }),
    checked: (key: BooleanKey) => ({ checked: state[key], onChange: (v: boolean) => set({ [key]: v }) }),
  };
}

export function AttributesStep({ state, set }: StepProps) {
  const bind = binder({ state, set });
  return (
    <>
      <Choice
        legend="How do you want your end users to sign in?"
        {...bind.value('signIn')}
        options={[
          {
            value: 'username',
            label: 'Username',
            hint: 'Users can use a username and optionally multiple alternatives to sign up and sign in.',
            children: (
              <>
                <Checkbox label="Also allow sign in with verified email address" {...bind.checked('aliasEmail')} />
                <Checkbox label="Also allow sign in with verified phone number" {...bind.checked('aliasPhone')} />
                <Checkbox label="Also allow sign in with verified preferred username" {...bind.checked('aliasPreferredUsername')} />
              </>
            ),
          },
          {
            value: 'email-phone',
            label: 'Email address or phone number',
            hint: 'Users can use an email address or phone number as their "username" to sign up and sign in.',
            children: (
              <Choice
                legend="Which one?"
                {...bind.value('usernameAttributes')}
                options={[
                  { value: 'email', label: 'Allow email addresses' },
                  { value: 'phone', label: 'Allow phone numbers' },
                  { value: 'both', label: 'Allow both email addresses and phone numbers (users can choose one)' },
                ]}
              />
            ),
          },
        ]}
      />
      <Question legend="Which standard attributes do you want to require?" hint="Required attributes cannot be changed after the pool is created.">
        <div className="attribute-grid">
          {STANDARD_ATTRIBUTES.map((a) => (
            <Checkbox
              key={a}
              label={a}
              checked={state.required.includes(a)}
              onChange={(on) =>
                set({ required: on ? STANDARD_ATTRIBUTES.filter((x) => x === a || state.required.includes(x)) : state.required.filter((x) => x !== a) })
              }
            />
          ))}
        </div>
      </Question>
      <Question legend="Do you want to enable case insensitivity for username input?">
        <Checkbox
          label="Enable case insensitivity for username input (recommended)"
          {...bind.checked('caseInsensitive')}
          hint="When on, “Ana” and “ana” are the same user (UsernameConfiguration CaseSensitive false). It cannot be changed later."
        />
      </Question>
      <Question legend="Do you want to add custom attributes?" hint="Custom attributes are named custom:<name>. They cannot be removed or renamed later.">
        <RowList<CustomAttributeDraft>
          noun="Custom attribute"
          rows={state.custom}
          onChange={(custom) => set({ custom })}
          newRow={(key) => ({ key, type: 'String', name: '', min: '', max: '', mutable: false })}
          fields={(c, update, autoFocus) => (
            <>
              <TypeSelect value={c.type} onChange={(type) => update({ type })} autoFocus={autoFocus} />
              <RowField label="Name" prefix="custom:" value={c.name} onChange={(name) => update({ name })} />
              <RowField
                label={c.type === 'String' ? 'Min length' : 'Min value'}
                inputMode="numeric"
                value={c.min}
                onChange={(min) => update({ min })}
                className="short"
              />
              <RowField
                label={c.type === 'String' ? 'Max length' : 'Max value'}
                inputMode="numeric"
                value={c.max}
                onChange={(max) => update({ max })}
                className="short"
              />
              <Checkbox label="Mutable" checked={c.mutable} onChange={(mutable) => update({ mutable })} />
            </>
          )}
        />
      </Question>
    </>
  );
}

function TypeSelect({ value, onChange, autoFocus }: { value: 'String' | 'Number'; onChange: (v: 'String' | 'Number') => void; autoFocus?: boolean }) {
  const id = useId();
  return (
    <div className="field row-field">
      <label htmlFor={id}>Type</label>
      <select id={id} value={value} autoFocus={autoFocus} onChange={(e) => onChange(e.target.value as 'String' | 'Number')}>
        <option value="String">string</option>
        <option value="Number">number</option>
      </select>
    </div>
  );
}

export function PoliciesStep({ state, set }: StepProps) {
  const bind = binder({ state, set });
  return (
    <>
      <Question legend="What password strength do you want to require?">
        <NumberField label="Minimum length" min={6} max={99} {...bind.value('minLength')} />
        <Checkbox label="Require numbers" {...bind.checked('requireNumbers')} />
        <Checkbox label="Require special character" {...bind.checked('requireSymbols')} />
        <Checkbox label="Require uppercase letters" {...bind.checked('requireUppercase')} />
        <Checkbox label="Require lowercase letters" {...bind.checked('requireLowercase')} />
      </Question>
      <Choice
        legend="Do you want to allow users to sign themselves up?"
        {...bind.value('signUp')}
        options={[
          { value: 'self', label: 'Allow users to sign themselves up' },
          { value: 'admin-only', label: 'Only allow administrators to create users' },
        ]}
      />
      <Question legend="How quickly should temporary passwords set by administrators expire if not used?">
        <NumberField label="Days to expire" min={1} max={365} {...bind.value('temporaryPasswordDays')} />
      </Question>
    </>
  );
}

export function MfaStep({ state, set }: StepProps) {
  const bind = binder({ state, set });
  return (
    <>
      <Choice
        legend="Do you want to enable Multi-Factor Authentication (MFA)?"
        {...bind.value('mfa')}
        options={[
          { value: 'OFF', label: 'Off' },
          { value: 'OPTIONAL', label: 'Optional', hint: 'Each user chooses whether to use a second factor.' },
          { value: 'ON', label: 'Required', hint: 'Every user signs in with a second factor. This can only be chosen when the pool is created.' },
        ]}
      />
      {state.mfa !== 'OFF' && (
        <Question legend="Which second factors do you want to enable?">
          <Checkbox label="SMS text message" {...bind.checked('mfaSms')} hint="Needs phone number verification (below)." />
          <Checkbox label="Time-based One-time Password" {...bind.checked('mfaTotp')} />
        </Question>
      )}
      <Choice
        legend="How will a user be able to recover their account?"
        {...bind.value('recovery')}
        options={RECOVERY_OPTIONS.map((o) => ({ value: o.value, label: o.label }))}
      />
      <Choice
        legend="Which attributes do you want to verify?"
        {...bind.value('verify')}
        options={[
          { value: 'email', label: 'Email' },
          { value: 'phone', label: 'Phone number' },
          { value: 'both', label: 'Email or phone number' },
          { value: 'none', label: 'No verification' },
        ]}
      />
      {needsSms(state) && (
        <Question legend="You must provide a role to allow Amazon Cognito to send SMS messages">
          <TextField
            label="New role name"
            value={state.smsRoleName || smsRoleName(state)}
            onChange={(smsRoleName) => set({ smsRoleName })}
            hint="The pool's SmsConfiguration names this role (arn:aws:iam::<account>:role/service-role/<name>). Corral does not send SMS through Amazon SNS: the messages land in the console's Mailbox."
          />
        </Question>
      )}
    </>
  );
}

export function MessagesStep({ state, set }: StepProps) {
  const bind = binder({ state, set });
  return (
    <>
      <Notice>
        Corral delivers every email and SMS to its local outbox (the console's Mailbox), so the Cognito console's SES region and FROM address settings do not
        apply here.
      </Notice>
      <Question legend="Do you want to customize your email verification messages?" hint="{####} is replaced by the code; {##text##} becomes the link.">
        <Choice
          legend="Verification type"
          {...bind.value('verificationType')}
          options={[
            { value: 'code', label: 'Code' },
            { value: 'link', label: 'Link' },
          ]}
        />
        {state.verificationType === 'code' ? (
          <>
            <TextField label="Verification email subject" {...bind.value('emailSubject')} />
            <TextField label="Verification email message" multiline {...bind.value('emailMessage')} />
          </>
        ) : (
          <>
            <TextField label="Verification email subject" {...bind.value('emailSubjectByLink')} />
            <TextField label="Verification email message" multiline {...bind.value('emailMessageByLink')} />
          </>
        )}
      </Question>
      <Question legend="Do you want to customize your SMS verification messages?">
        <TextField label="Verification SMS message" multiline {...bind.value('smsVerification')} />
      </Question>
      <Question
        legend="Do you want to customize your user invitation messages?"
        hint="{username} is replaced by the username, {####} by the temporary password."
      >
        <TextField label="Invitation SMS message" multiline {...bind.value('inviteSms')} />
        <TextField label="Invitation email subject" {...bind.value('inviteEmailSubject')} />
        <TextField label="Invitation email message" multiline {...bind.value('inviteEmailMessage')} />
      </Question>
    </>
  );
}

export function TagsStep({ state, set }: StepProps) {
  return (
    <Question legend="Do you want to add tags for this user pool?" hint="Tags are key/value labels (UserPoolTags), e.g. to group costs or owners.">
      <RowList
        noun="Tag"
        rows={state.tags}
        onChange={(tags) => set({ tags })}
        newRow={(key) => ({ key, tagKey: '', value: '' })}
        empty={<p className="hint">No tags.</p>}
        fields={(t, update, autoFocus) => (
          <>
            <RowField label="Tag key" value={t.tagKey} autoFocus={autoFocus} onChange={(tagKey) => update({ tagKey })} />
            <RowField label="Tag value" value={t.value} onChange={(value) => update({ value })} />
          </>
        )}
      />
    </Question>
  );
}

export function DevicesStep({ state, set }: StepProps) {
  const bind = binder({ state, set });
  return (
    <>
      <Choice
        legend="Do you want to remember your user's devices?"
        {...bind.value('devices')}
        options={[
          { value: 'always', label: 'Always' },
          { value: 'opt-in', label: 'User Opt In' },
          { value: 'no', label: 'No' },
        ]}
      />
      {state.devices !== 'no' && (
        <Question legend="Do you want to use a remembered device to suppress the second factor during multi-factor authentication (MFA)?">
          <Checkbox label="Use a remembered device to suppress the second factor" {...bind.checked('deviceSuppressMfa')} />
        </Question>
      )}
    </>
  );
}
