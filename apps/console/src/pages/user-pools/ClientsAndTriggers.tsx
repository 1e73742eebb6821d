// The wizard's App clients page (the clients created with the pool, and the open "New app client" form) and its
// Triggers page (a function of Corral's registry for each trigger).
import { useRef, useState } from 'react';
import { Checkbox, ErrorNotice, Loading, Notice, NumberField, Select, TextField, useLoad } from '../../components/ui';
import { corral } from '../../lib/api';
import { TRIGGERS } from '../../lib/triggers';
import { AUTH_FLOWS, clientProblems, defaultClient, type ClientDraft } from './wizard-model';
import { Choice, newKey, Problems, Question } from './wizard-ui';
import type { StepProps } from './WizardSteps';

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
