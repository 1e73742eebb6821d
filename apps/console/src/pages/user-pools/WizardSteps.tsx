// The wizard's setting pages: Attributes, Policies, MFA and verifications, Message customizations, Tags, Devices,
// App clients, Triggers. Each edits the WizardState through `set` (a partial update); nothing is sent before Review.
import { useId, useRef, useState } from 'react';
import { Checkbox, ErrorNotice, Loading, Notice, NumberField, Select, TextField, useLoad } from '../../components/ui';
import { corral } from '../../lib/api';
import {
  AUTH_FLOWS,
  RECOVERY_OPTIONS,
  STANDARD_ATTRIBUTES,
  TRIGGERS,
  clientProblems,
  defaultClient,
  needsSms,
  smsRoleName,
  type ClientDraft,
  type CustomAttributeDraft,
  type WizardState,
} from './wizard-model';
import { Choice, Problems, Question, RowField } from './wizard-ui';

export interface StepProps {
  state: WizardState;
  set: (patch: Partial<WizardState>) => void;
}

let nextKey = 1;
const newKey = () => nextKey++;

export function AttributesStep({ state, set }: StepProps) {
  const addRef = useRef<HTMLButtonElement>(null);
  const [focusKey, setFocusKey] = useState<number>();
  const update = (key: number, patch: Partial<CustomAttributeDraft>) => set({ custom: state.custom.map((c) => (c.key === key ? { ...c, ...patch } : c)) });
  return (
    <>
      <Choice
        legend="How do you want your end users to sign in?"
        value={state.signIn}
        onChange={(signIn) => set({ signIn })}
        options={[
          {
            value: 'username',
            label: 'Username',
            hint: 'Users can use a username and optionally multiple alternatives to sign up and sign in.',
            children: (
              <>
                <Checkbox label="Also allow sign in with verified email address" checked={state.aliasEmail} onChange={(aliasEmail) => set({ aliasEmail })} />
                <Checkbox label="Also allow sign in with verified phone number" checked={state.aliasPhone} onChange={(aliasPhone) => set({ aliasPhone })} />
                <Checkbox
                  label="Also allow sign in with verified preferred username"
                  checked={state.aliasPreferredUsername}
                  onChange={(aliasPreferredUsername) => set({ aliasPreferredUsername })}
                />
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
                value={state.usernameAttributes}
                onChange={(usernameAttributes) => set({ usernameAttributes })}
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
          checked={state.caseInsensitive}
          onChange={(caseInsensitive) => set({ caseInsensitive })}
          hint="When on, “Ana” and “ana” are the same user (UsernameConfiguration CaseSensitive false). It cannot be changed later."
        />
      </Question>
      <Question legend="Do you want to add custom attributes?" hint="Custom attributes are named custom:<name>. They cannot be removed or renamed later.">
        {state.custom.map((c, i) => (
          <fieldset key={c.key} className="row">
            <legend>{`Custom attribute ${i + 1}`}</legend>
            <TypeSelect value={c.type} onChange={(type) => update(c.key, { type })} autoFocus={focusKey === c.key} />
            <RowField label="Name" prefix="custom:" value={c.name} onChange={(name) => update(c.key, { name })} />
            <RowField
              label={c.type === 'String' ? 'Min length' : 'Min value'}
              inputMode="numeric"
              value={c.min}
              onChange={(min) => update(c.key, { min })}
              className="short"
            />
            <RowField
              label={c.type === 'String' ? 'Max length' : 'Max value'}
              inputMode="numeric"
              value={c.max}
              onChange={(max) => update(c.key, { max })}
              className="short"
            />
            <Checkbox label="Mutable" checked={c.mutable} onChange={(mutable) => update(c.key, { mutable })} />
            <button
              type="button"
              className="link"
              aria-label={`Remove custom attribute ${i + 1}`}
              onClick={() => {
                set({ custom: state.custom.filter((x) => x.key !== c.key) });
                addRef.current?.focus();
              }}
            >
              Remove
            </button>
          </fieldset>
        ))}
        <button
          type="button"
          ref={addRef}
          className="secondary"
          onClick={() => {
            const key = newKey();
            setFocusKey(key);
            set({ custom: [...state.custom, { key, type: 'String', name: '', min: '', max: '', mutable: false }] });
          }}
        >
          Add custom attribute
        </button>
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
  return (
    <>
      <Question legend="What password strength do you want to require?">
        <NumberField label="Minimum length" min={6} max={99} value={state.minLength} onChange={(minLength) => set({ minLength })} />
        <Checkbox label="Require numbers" checked={state.requireNumbers} onChange={(requireNumbers) => set({ requireNumbers })} />
        <Checkbox label="Require special character" checked={state.requireSymbols} onChange={(requireSymbols) => set({ requireSymbols })} />
        <Checkbox label="Require uppercase letters" checked={state.requireUppercase} onChange={(requireUppercase) => set({ requireUppercase })} />
        <Checkbox label="Require lowercase letters" checked={state.requireLowercase} onChange={(requireLowercase) => set({ requireLowercase })} />
      </Question>
      <Choice
        legend="Do you want to allow users to sign themselves up?"
        value={state.signUp}
        onChange={(signUp) => set({ signUp })}
        options={[
          { value: 'self', label: 'Allow users to sign themselves up' },
          { value: 'admin-only', label: 'Only allow administrators to create users' },
        ]}
      />
      <Question legend="How quickly should temporary passwords set by administrators expire if not used?">
        <NumberField
          label="Days to expire"
          min={1}
          max={365}
          value={state.temporaryPasswordDays}
          onChange={(temporaryPasswordDays) => set({ temporaryPasswordDays })}
        />
      </Question>
    </>
  );
}

export function MfaStep({ state, set }: StepProps) {
  return (
    <>
      <Choice
        legend="Do you want to enable Multi-Factor Authentication (MFA)?"
        value={state.mfa}
        onChange={(mfa) => set({ mfa })}
        options={[
          { value: 'OFF', label: 'Off' },
          { value: 'OPTIONAL', label: 'Optional', hint: 'Each user chooses whether to use a second factor.' },
          { value: 'ON', label: 'Required', hint: 'Every user signs in with a second factor. This can only be chosen when the pool is created.' },
        ]}
      />
      {state.mfa !== 'OFF' && (
        <Question legend="Which second factors do you want to enable?">
          <Checkbox label="SMS text message" checked={state.mfaSms} onChange={(mfaSms) => set({ mfaSms })} hint="Needs phone number verification (below)." />
          <Checkbox label="Time-based One-time Password" checked={state.mfaTotp} onChange={(mfaTotp) => set({ mfaTotp })} />
        </Question>
      )}
      <Choice
        legend="How will a user be able to recover their account?"
        value={state.recovery}
        onChange={(recovery) => set({ recovery })}
        options={RECOVERY_OPTIONS.map((o) => ({ value: o.value, label: o.label }))}
      />
      <Choice
        legend="Which attributes do you want to verify?"
        value={state.verify}
        onChange={(verify) => set({ verify })}
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
  return (
    <>
      <Notice>
        Corral delivers every email and SMS to its local outbox (the console's Mailbox), so the Cognito console's SES region and FROM address settings do not
        apply here.
      </Notice>
      <Question legend="Do you want to customize your email verification messages?" hint="{####} is replaced by the code; {##text##} becomes the link.">
        <Choice
          legend="Verification type"
          value={state.verificationType}
          onChange={(verificationType) => set({ verificationType })}
          options={[
            { value: 'code', label: 'Code' },
            { value: 'link', label: 'Link' },
          ]}
        />
        {state.verificationType === 'code' ? (
          <>
            <TextField label="Verification email subject" value={state.emailSubject} onChange={(emailSubject) => set({ emailSubject })} />
            <TextField label="Verification email message" multiline value={state.emailMessage} onChange={(emailMessage) => set({ emailMessage })} />
          </>
        ) : (
          <>
            <TextField label="Verification email subject" value={state.emailSubjectByLink} onChange={(emailSubjectByLink) => set({ emailSubjectByLink })} />
            <TextField
              label="Verification email message"
              multiline
              value={state.emailMessageByLink}
              onChange={(emailMessageByLink) => set({ emailMessageByLink })}
            />
          </>
        )}
      </Question>
      <Question legend="Do you want to customize your SMS verification messages?">
        <TextField label="Verification SMS message" multiline value={state.smsVerification} onChange={(smsVerification) => set({ smsVerification })} />
      </Question>
      <Question
        legend="Do you want to customize your user invitation messages?"
        hint="{username} is replaced by the username, {####} by the temporary password."
      >
        <TextField label="Invitation SMS message" multiline value={state.inviteSms} onChange={(inviteSms) => set({ inviteSms })} />
        <TextField label="Invitation email subject" value={state.inviteEmailSubject} onChange={(inviteEmailSubject) => set({ inviteEmailSubject })} />
        <TextField label="Invitation email message" multiline value={state.inviteEmailMessage} onChange={(inviteEmailMessage) => set({ inviteEmailMessage })} />
      </Question>
    </>
  );
}

export function TagsStep({ state, set }: StepProps) {
  const addRef = useRef<HTMLButtonElement>(null);
  const [focusKey, setFocusKey] = useState<number>();
  return (
    <Question legend="Do you want to add tags for this user pool?" hint="Tags are key/value labels (UserPoolTags), e.g. to group costs or owners.">
      {state.tags.map((t, i) => (
        <fieldset key={t.key} className="row">
          <legend>{`Tag ${i + 1}`}</legend>
          <RowField
            label="Tag key"
            value={t.tagKey}
            autoFocus={focusKey === t.key}
            onChange={(tagKey) => set({ tags: state.tags.map((x) => (x.key === t.key ? { ...x, tagKey } : x)) })}
          />
          <RowField label="Tag value" value={t.value} onChange={(value) => set({ tags: state.tags.map((x) => (x.key === t.key ? { ...x, value } : x)) })} />
          <button
            type="button"
            className="link"
            aria-label={`Remove tag ${i + 1}`}
            onClick={() => {
              set({ tags: state.tags.filter((x) => x.key !== t.key) });
              addRef.current?.focus();
            }}
          >
            Remove
          </button>
        </fieldset>
      ))}
      {state.tags.length === 0 && <p className="hint">No tags.</p>}
      <button
        type="button"
        ref={addRef}
        className="secondary"
        onClick={() => {
          const key = newKey();
          setFocusKey(key);
          set({ tags: [...state.tags, { key, tagKey: '', value: '' }] });
        }}
      >
        Add tag
      </button>
    </Question>
  );
}

export function DevicesStep({ state, set }: StepProps) {
  return (
    <>
      <Choice
        legend="Do you want to remember your user's devices?"
        value={state.devices}
        onChange={(devices) => set({ devices })}
        options={[
          { value: 'always', label: 'Always' },
          { value: 'opt-in', label: 'User Opt In' },
          { value: 'no', label: 'No' },
        ]}
      />
      {state.devices !== 'no' && (
        <Question legend="Do you want to use a remembered device to suppress the second factor during multi-factor authentication (MFA)?">
          <Checkbox
            label="Use a remembered device to suppress the second factor"
            checked={state.deviceSuppressMfa}
            onChange={(deviceSuppressMfa) => set({ deviceSuppressMfa })}
          />
        </Question>
      )}
    </>
  );
}

/** The app client being added (open form), kept by the wizard so that moving between pages loses nothing. */
export interface ClientFormProps extends StepProps {
  form: ClientDraft | undefined;
  setForm: (f: ClientDraft | undefined) => void;
}

export function AppClientsStep({ state, set, form, setForm }: ClientFormProps) {
  const addRef = useRef<HTMLButtonElement>(null);
  const problemsRef = useRef<HTMLDivElement>(null);
  const [problems, setProblems] = useState<string[]>([]);
  const close = () => {
    setForm(undefined);
    setProblems([]);
    setTimeout(() => addRef.current?.focus());
  };
  const submit = () => {
    if (!form) return;
    const p = clientProblems(form, state.clients);
    setProblems(p);
    if (p.length) {
      setTimeout(() => problemsRef.current?.focus());
      return;
    }
    set({ clients: [...state.clients, form] });
    close();
  };
  return (
    <>
      <h3>Which app clients will have access to this user pool?</h3>
      <p className="hint">
        The app clients you add below are given a unique ID (and an optional secret key) to access this user pool. They are created with the pool.
      </p>
      {state.clients.length > 0 && (
        <table className="clients">
          <thead>
            <tr>
              <th scope="col">App client name</th>
              <th scope="col">Client secret</th>
              <th scope="col">Auth flows</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {state.clients.map((c) => (
              <tr key={c.key}>
                <td>{c.name}</td>
                <td>{c.generateSecret ? 'Generated' : 'None'}</td>
                <td className="mono">{c.flows.join(', ') || '—'}</td>
                <td>
                  <button
                    type="button"
                    className="link"
                    aria-label={`Remove ${c.name}`}
                    onClick={() => {
                      set({ clients: state.clients.filter((x) => x.key !== c.key) });
                      setTimeout(() => addRef.current?.focus());
                    }}
                  >
                    Remove
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {!form && (
        <p>
          <button type="button" className="link add-client" ref={addRef} onClick={() => setForm(defaultClient(newKey()))}>
            Add an app client
          </button>
        </p>
      )}
      {form && (
        <form
          className="client-form"
          aria-label="New app client"
          onSubmit={(e) => {
            e.preventDefault();
            submit();
          }}
        >
          <h3>New app client</h3>
          <Problems problems={problems} ref={problemsRef} />
          <TextField label="App client name" autoFocus value={form.name} onChange={(name) => setForm({ ...form, name })} />
          <NumberField
            label="Refresh token expiration (days)"
            min={1}
            max={3650}
            value={form.refreshDays}
            onChange={(refreshDays) => setForm({ ...form, refreshDays })}
          />
          <Checkbox
            label="Generate client secret"
            checked={form.generateSecret}
            onChange={(generateSecret) => setForm({ ...form, generateSecret })}
            hint="Leave it off for browser and mobile apps (the Amplify JS library cannot use a secret)."
          />
          <Question legend="Auth Flows Configuration">
            {AUTH_FLOWS.map((f) => (
              <Checkbox
                key={f.flow}
                label={f.label}
                checked={form.flows.includes(f.flow)}
                onChange={(on) =>
                  setForm({
                    ...form,
                    flows: on ? AUTH_FLOWS.map((x) => x.flow).filter((x) => x === f.flow || form.flows.includes(x)) : form.flows.filter((x) => x !== f.flow),
                  })
                }
              />
            ))}
          </Question>
          <Choice
            legend="Prevent User Existence Errors"
            value={form.preventUserExistenceErrors}
            onChange={(preventUserExistenceErrors) => setForm({ ...form, preventUserExistenceErrors })}
            options={[
              { value: 'LEGACY', label: 'Legacy' },
              { value: 'ENABLED', label: 'Enabled (Recommended)', hint: 'Sign-in and password recovery answer the same way whether the user exists or not.' },
            ]}
          />
          <div className="buttons">
            <button type="submit" className="primary">
              Create app client
            </button>
            <button type="button" className="secondary" onClick={close}>
              Cancel
            </button>
          </div>
        </form>
      )}
    </>
  );
}

export function TriggersStep({ state, set }: StepProps) {
  const functions = useLoad(() => corral('ListFunctions', {}), []);
  const names = (functions.data?.Functions ?? []).map((f) => ({ value: f.Name, label: `${f.Name} (${f.Runtime})` }));
  return (
    <>
      <p>
        Triggers run a function of Corral's functions registry (the configuration's <code>functions</code>, or <code>CORRAL_FUNCTIONS_DIR</code>) at a step of
        the sign-up and sign-in flows. The pool names each one by a Lambda ARN; only the function name is used to find it.
      </p>
      {functions.loading && <Loading what="functions" />}
      {!!functions.error && (
        <>
          <ErrorNotice error={functions.error} />
          <p className="hint">The functions registry could not be read: only “none” can be chosen.</p>
        </>
      )}
      {functions.data && names.length === 0 && <Notice>The functions registry is empty: only “none” can be chosen.</Notice>}
      <div className="trigger-grid">
        {TRIGGERS.map((t) => {
          const current = state.triggers[t.key] ?? '';
          const options = [{ value: '', label: 'none' }, ...names];
          if (current && !names.some((n) => n.value === current)) options.push({ value: current, label: `${current} (not in the registry)` });
          return (
            <Select
              key={t.key}
              label={t.label}
              hint={t.hint}
              value={current}
              options={options}
              onChange={(v) => {
                const triggers = { ...state.triggers };
                if (v) triggers[t.key] = v;
                else delete triggers[t.key];
                set({ triggers });
              }}
            />
          );
        })}
      </div>
    </>
  );
}
