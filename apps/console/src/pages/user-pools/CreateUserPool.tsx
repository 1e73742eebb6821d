// Create a user pool: the old Cognito console's wizard. "What do you want to name your user pool?", then "Review
// defaults" (straight to Review) or "Step through settings" (Attributes → … → Triggers → Review, "Previous step" /
// "Next step", the side list of steps marks the current one with aria-current="step"). "Create pool" sends
// CreateUserPool (then SetUserPoolMfaConfig when TOTP is on, then CreateUserPoolClient per app client) and shows
// the ids to copy — the walkthrough's scratch pad — and each client secret, once.
//
// Keyboard: every control is a native input or button; each page change moves focus to the page's heading
// (tabIndex -1), a failed check moves it to the list of problems. A failure of the API shows on Review and the form
// keeps every choice; what was already created is not created twice when "Create pool" is pressed again.
// The choices (and what was created so far, client secrets aside) are kept as a draft in the tab's sessionStorage:
// a session that ends mid-wizard (idle, or a reload) loses nothing — signing in again comes back to the same page
// with the same choices — until the pool is made or "Start over" is chosen.
import { useCallback, useEffect, useRef, useState, type RefObject } from 'react';
import { Link } from 'react-router-dom';
import type { UserPoolClientType, UserPoolType } from '@aws-sdk/client-cognito-identity-provider';
import { CopyField, ErrorNotice, Notice, PageTitle, TextField } from '../../components/ui';
import { idp } from '../../lib/api';
import { clearDraft, currentSession, fetchConsoleConfig, loadDraft, saveDraft } from '../../lib/session';
import {
  attributeProblems,
  clientRequest,
  createPoolRequest,
  defaultState,
  messageProblems,
  mfaConfigRequest,
  mfaProblems,
  policyProblems,
  poolNameProblems,
  tagProblems,
  STEPS,
  type ClientDraft,
  type WizardState,
} from './wizard-model';
import { AttributesStep, DevicesStep, MessagesStep, MfaStep, PoliciesStep, TagsStep } from './WizardSteps';
import { AppClientsStep, TriggersStep } from './ClientsAndTriggers';
import { ReviewStep } from './ReviewStep';
import { Problems } from './wizard-ui';
import './wizard.css';

const REVIEW = STEPS.length - 1;
const APP_CLIENTS = 7;
/** The checks of the pages from Name to Tags, by page index (Devices, Triggers and Review have none). */
const PAGE_CHECKS = [poolNameProblems, attributeProblems, policyProblems, mfaProblems, messageProblems, tagProblems];
/** Corral's account id, for the ARNs a pool names (SMS role, triggers): Corral says which (CORRAL_ACCOUNT_ID). */
async function resolveAccount(): Promise<string> {
  return (await fetchConsoleConfig()).accountId;
}

interface Progress {
  pool?: UserPoolType;
  mfaDone: boolean;
  clients: Map<number, UserPoolClientType>;
}

const DRAFT = 'create-user-pool';
interface Draft {
  state: WizardState;
  step: number;
  reviewed: boolean;
  clientForm?: ClientDraft;
  progress: { pool?: UserPoolType; mfaDone: boolean; clients: [number, UserPoolClientType][] };
}

function saveWizard(d: Omit<Draft, 'progress'>, p: Progress): void {
  // A client secret is shown once, when the pool is made; it is not kept (DescribeUserPoolClient still has it).
  const clients = [...p.clients].map(([k, c]): [number, UserPoolClientType] => [k, { ...c, ClientSecret: undefined }]);
  saveDraft(DRAFT, { ...d, progress: { pool: p.pool, mfaDone: p.mfaDone, clients } } satisfies Draft);
}

function restoredDraft(): Draft | undefined {
  const d = loadDraft<Draft>(DRAFT);
  return d && typeof d.state === 'object' && typeof d.step === 'number' && d.step >= 0 && d.step < STEPS.length ? d : undefined;
}

export function CreateUserPool() {
  const region = currentSession()?.region ?? 'us-east-1';
  const [draft] = useState(restoredDraft);
  const [restored, setRestored] = useState(!!draft);
  const [state, setState] = useState<WizardState>(() => (draft ? { ...defaultState(), ...draft.state } : defaultState()));
  const set = useCallback((patch: Partial<WizardState>) => setState((s) => ({ ...s, ...patch })), []);
  const [step, setStep] = useState(draft?.step ?? 0);
  const [problems, setProblems] = useState<string[]>([]);
  const [reviewed, setReviewed] = useState(draft?.reviewed ?? false);
  const [clientForm, setClientForm] = useState<ClientDraft | undefined>(draft?.clientForm);
  const [focusTick, setFocusTick] = useState(0);
  const [busy, setBusy] = useState(false);
  const [createError, setCreateError] = useState<unknown>();
  const [created, setCreated] = useState<{ pool: UserPoolType; clients: UserPoolClientType[] }>();
  const progress = useRef<Progress>({
    pool: draft?.progress.pool,
    mfaDone: draft?.progress.mfaDone ?? false,
    clients: new Map(draft?.progress.clients ?? []),
  });
  const headingRef = useRef<HTMLHeadingElement>(null);
  const problemsRef = useRef<HTMLDivElement>(null);
  const errorRef = useRef<HTMLDivElement>(null);

  // Every change is kept, until the pool is made (an untouched wizard is no draft).
  const snapshot = (s: WizardState, at: number, r: boolean, form?: ClientDraft) => JSON.stringify({ s, at, r, form });
  const pristine = useRef(draft ? undefined : snapshot(state, 0, false));
  useEffect(() => {
    if (created) return;
    if (snapshot(state, step, reviewed, clientForm) === pristine.current && !progress.current.pool) clearDraft(DRAFT);
    else saveWizard({ state, step, reviewed, clientForm }, progress.current);
  }, [state, step, reviewed, clientForm, created]);

  const startOver = () => {
    clearDraft(DRAFT);
    progress.current = { mfaDone: false, clients: new Map() };
    const fresh = defaultState();
    pristine.current = snapshot(fresh, 0, false);
    setState(fresh);
    setStep(0);
    setReviewed(false);
    setClientForm(undefined);
    setProblems([]);
    setCreateError(undefined);
    setRestored(false);
    setFocusTick((t) => t + 1);
  };

  // After a page change (or a failed check), focus the new page's heading (or the problems).
  useEffect(() => {
    if (focusTick === 0) return;
    if (problemsRef.current) problemsRef.current.focus();
    else headingRef.current?.focus();
  }, [focusTick]);

  const problemsFor = (i: number): string[] => {
    if (i === APP_CLIENTS) return clientForm ? ['An app client is being added: choose “Create app client” or “Cancel” first.'] : [];
    return PAGE_CHECKS[i]?.(state) ?? [];
  };

  /** Moves to page `target`; going forward checks every page on the way and stops at the first with problems. */
  const goTo = (target: number): boolean => {
    if (target > step) {
      for (let i = step; i < target; i++) {
        const p = problemsFor(i);
        if (p.length) {
          setStep(i);
          setProblems(p);
          setFocusTick((t) => t + 1);
          return false;
        }
      }
    }
    setProblems([]);
    setStep(target);
    if (target === REVIEW) setReviewed(true);
    setFocusTick((t) => t + 1);
    return true;
  };

  /** Checks every page; shows the first with problems. */
  const checkAll = (): boolean => {
    for (let i = 0; i < REVIEW; i++) {
      const p = problemsFor(i);
      if (p.length) {
        setStep(i);
        setProblems(p);
        setFocusTick((t) => t + 1);
        return false;
      }
    }
    return true;
  };

  const create = async () => {
    if (!checkAll()) return;
    setBusy(true);
    setCreateError(undefined);
    const prog = progress.current;
    try {
      const account = prog.pool?.Arn?.split(':')[4] ?? (await resolveAccount());
      const arn = { region, account };
      const keep = () => saveWizard({ state, step, reviewed, clientForm }, prog);
      if (!prog.pool) {
        prog.pool = (await idp('CreateUserPool', createPoolRequest(state, arn))).UserPool!;
        keep();
      }
      const poolId = prog.pool.Id!;
      const mfa = mfaConfigRequest(state, poolId, arn);
      if (mfa && !prog.mfaDone) {
        await idp('SetUserPoolMfaConfig', mfa);
        prog.mfaDone = true;
        keep();
      }
      for (const c of state.clients) {
        if (!prog.clients.has(c.key)) {
          prog.clients.set(c.key, (await idp('CreateUserPoolClient', clientRequest(c, poolId))).UserPoolClient!);
          keep();
        }
      }
      clearDraft(DRAFT);
      setCreated({ pool: prog.pool, clients: state.clients.map((c) => prog.clients.get(c.key)!) });
      setFocusTick((t) => t + 1);
    } catch (err) {
      setCreateError(err);
      setTimeout(() => errorRef.current?.focus());
    } finally {
      setBusy(false);
    }
  };

  if (created) return <CreatedPool pool={created.pool} clients={created.clients} headingRef={headingRef} />;

  const stepProps = { state, set };
  const title = step === 0 ? 'What do you want to name your user pool?' : STEPS[step];
  return (
    <>
      <PageTitle>Create a user pool</PageTitle>
      <div className="layout-side wizard">
        <nav aria-label="Steps" className="side-nav wizard-steps">
          <ol className="steps">
            {STEPS.map((name, i) => (
              <li key={name} aria-current={i === step ? 'step' : undefined}>
                <button type="button" className="step-link" onClick={() => goTo(i)}>
                  {name}
                </button>
              </li>
            ))}
          </ol>
        </nav>
        <section className="panel wizard-page" aria-labelledby="wizard-heading">
          <h2 id="wizard-heading" tabIndex={-1} ref={headingRef}>
            {title}
          </h2>
          {restored && (
            <Notice>
              Your choices from before were kept.{' '}
              <button type="button" className="secondary" onClick={startOver}>
                Start over
              </button>
            </Notice>
          )}
          <Problems problems={problems} ref={problemsRef} />
          {step === 0 && (
            <form
              onSubmit={(e) => {
                e.preventDefault();
                goTo(1);
              }}
            >
              <TextField
                label="Pool name"
                autoFocus
                value={state.poolName}
                onChange={(poolName) => set({ poolName })}
                hint="Give your user pool a descriptive name so you can easily identify it in the future."
              />
              <p>How do you want to create your user pool?</p>
              <div className="buttons">
                <button type="button" className="secondary" onClick={() => goTo(REVIEW)}>
                  Review defaults
                </button>
                <button type="submit" className="primary">
                  Step through settings
                </button>
              </div>
            </form>
          )}
          {step === 1 && <AttributesStep {...stepProps} />}
          {step === 2 && <PoliciesStep {...stepProps} />}
          {step === 3 && <MfaStep {...stepProps} />}
          {step === 4 && <MessagesStep {...stepProps} />}
          {step === 5 && <TagsStep {...stepProps} />}
          {step === 6 && <DevicesStep {...stepProps} />}
          {step === APP_CLIENTS && <AppClientsStep {...stepProps} form={clientForm} setForm={setClientForm} />}
          {step === 8 && <TriggersStep {...stepProps} />}
          {step === REVIEW && (
            <>
              <ReviewStep state={state} region={region} onEdit={goTo} />
              {progress.current.pool && (
                <Notice>
                  The user pool {progress.current.pool.Name} ({progress.current.pool.Id}) was created; what failed after it is done when you choose “Create
                  pool” again. Changes to the pool's own settings no longer apply (edit them on the pool's pages).
                </Notice>
              )}
              <div ref={errorRef} tabIndex={-1} className="create-error">
                <ErrorNotice error={createError} />
              </div>
            </>
          )}
          {step > 0 && (
            <div className="buttons wizard-buttons">
              <button type="button" className="secondary" onClick={() => goTo(step - 1)} disabled={busy}>
                Previous step
              </button>
              {step < REVIEW && (
                <button type="button" className="primary" onClick={() => goTo(step + 1)}>
                  Next step
                </button>
              )}
              {step < REVIEW - 1 && reviewed && (
                <button type="button" className="secondary" onClick={() => goTo(REVIEW)}>
                  Return to review
                </button>
              )}
              {step === REVIEW && (
                <button type="button" className="primary" onClick={() => void create()} disabled={busy}>
                  {busy ? 'Creating…' : 'Create pool'}
                </button>
              )}
            </div>
          )}
        </section>
      </div>
    </>
  );
}

function CreatedPool({ pool, clients, headingRef }: { pool: UserPoolType; clients: UserPoolClientType[]; headingRef: RefObject<HTMLHeadingElement | null> }) {
  const secrets = clients.filter((c) => c.ClientSecret);
  return (
    <>
      <PageTitle>Create a user pool</PageTitle>
      <section className="panel created" aria-labelledby="created-heading">
        <h2 id="created-heading" tabIndex={-1} ref={headingRef}>
          Your user pool was created successfully.
        </h2>
        <p>
          Copy these to your scratch pad (the Wild Rydes site's <code>config.json</code> takes the pool id, the app client id and the region).
        </p>
        <CopyField label="Pool Id" value={pool.Id ?? ''} />
        <CopyField label="Pool ARN" value={pool.Arn ?? ''} />
        {clients.map((c) => (
          <CopyField key={c.ClientId} label={`App client id (${c.ClientName})`} value={c.ClientId ?? ''} />
        ))}
        {secrets.length > 0 && (
          <>
            <Notice>
              {secrets.length === 1 ? 'This client secret is' : 'These client secrets are'} shown only now: copy {secrets.length === 1 ? 'it' : 'them'} before
              you leave this page. It is not shown again here (DescribeUserPoolClient still returns it).
            </Notice>
            {secrets.map((c) => (
              <CopyField key={c.ClientId} label={`App client secret (${c.ClientName})`} value={c.ClientSecret ?? ''} />
            ))}
          </>
        )}
        <div className="buttons">
          <Link className="button primary" to={`/user-pools/${encodeURIComponent(pool.Id ?? '')}`}>
            Go to the pool's settings
          </Link>
          <Link className="button secondary" to="/user-pools">
            Back to Your User Pools
          </Link>
        </div>
      </section>
    </>
  );
}
