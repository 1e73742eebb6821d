// The console's building blocks. Every input has a visible <label> tied to it (tests and screen readers find
// fields by their labels), every action is a real <button> (reachable with Tab, pressed with Enter or Space).
import { useCallback, useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { errorText } from '../lib/api';

export function PageTitle({ children, actions }: { children: ReactNode; actions?: ReactNode }) {
  return (
    <div className="page-title">
      <h1>{children}</h1>
      {actions && <div className="page-actions">{actions}</div>}
    </div>
  );
}

export function TextField(props: {
  label: string;
  value: string;
  onChange?: (v: string) => void;
  type?: string;
  hint?: ReactNode;
  placeholder?: string;
  required?: boolean;
  autoFocus?: boolean;
  readOnly?: boolean;
  multiline?: boolean;
  autoComplete?: string;
  name?: string;
}) {
  const id = useId();
  const hintId = `${id}-hint`;
  const common = {
    id,
    name: props.name,
    value: props.value,
    placeholder: props.placeholder,
    required: props.required,
    autoFocus: props.autoFocus,
    readOnly: props.readOnly,
    autoComplete: props.autoComplete,
    'aria-describedby': props.hint ? hintId : undefined,
  };
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      {props.multiline ? (
        <textarea {...common} rows={4} onChange={(e) => props.onChange?.(e.target.value)} />
      ) : (
        <input {...common} type={props.type ?? 'text'} onChange={(e) => props.onChange?.(e.target.value)} />
      )}
      {props.hint && (
        <div className="hint" id={hintId}>
          {props.hint}
        </div>
      )}
    </div>
  );
}

export function NumberField(props: { label: string; value: number; onChange: (v: number) => void; min?: number; max?: number; hint?: ReactNode }) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      <input
        id={id}
        type="number"
        value={Number.isFinite(props.value) ? props.value : ''}
        min={props.min}
        max={props.max}
        onChange={(e) => props.onChange(e.target.valueAsNumber)}
      />
      {props.hint && <div className="hint">{props.hint}</div>}
    </div>
  );
}

export function Checkbox(props: { label: ReactNode; checked: boolean; onChange: (v: boolean) => void; disabled?: boolean; hint?: ReactNode }) {
  const id = useId();
  return (
    <div className="check">
      <input id={id} type="checkbox" checked={props.checked} disabled={props.disabled} onChange={(e) => props.onChange(e.target.checked)} />
      <label htmlFor={id}>{props.label}</label>
      {props.hint && <div className="hint">{props.hint}</div>}
    </div>
  );
}

export function Radio<T extends string>(props: { legend: string; value: T; options: { value: T; label: ReactNode }[]; onChange: (v: T) => void }) {
  const name = useId();
  return (
    <fieldset className="radios">
      <legend>{props.legend}</legend>
      {props.options.map((o) => {
        const id = `${name}-${o.value}`;
        return (
          <div className="check" key={o.value}>
            <input id={id} type="radio" name={name} value={o.value} checked={props.value === o.value} onChange={() => props.onChange(o.value)} />
            <label htmlFor={id}>{o.label}</label>
          </div>
        );
      })}
    </fieldset>
  );
}

export function Select<T extends string>(props: {
  label: string;
  value: T;
  options: { value: T; label: string }[];
  onChange: (v: T) => void;
  hint?: ReactNode;
}) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      <select id={id} value={props.value} onChange={(e) => props.onChange(e.target.value as T)}>
        {props.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      {props.hint && <div className="hint">{props.hint}</div>}
    </div>
  );
}

/** A read-only value with a copy button: the walkthrough's "copy to scratch pad". */
export function CopyField({ label, value }: { label: string; value: string }) {
  const id = useId();
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
    } catch {
      const input = document.getElementById(id) as HTMLInputElement | null;
      input?.select();
      document.execCommand('copy');
    }
    setCopied(true);
    setTimeout(() => setCopied(false), 1500);
  };
  return (
    <div className="field copy-field">
      <label htmlFor={id}>{label}</label>
      <div className="copy-row">
        <input id={id} value={value} readOnly onFocus={(e) => e.target.select()} />
        <button type="button" className="secondary" onClick={() => void copy()} aria-label={`Copy ${label}`}>
          {copied ? 'Copied' : 'Copy'}
        </button>
      </div>
    </div>
  );
}

export function Notice({ kind = 'info', children }: { kind?: 'info' | 'error' | 'success'; children: ReactNode }) {
  return (
    <div className={`notice ${kind}`} role={kind === 'error' ? 'alert' : 'status'}>
      {children}
    </div>
  );
}

export function ErrorNotice({ error }: { error: unknown }) {
  if (!error) return null;
  return <Notice kind="error">{errorText(error)}</Notice>;
}

/** A button that runs an async action, disabled while it runs, showing its failure beside it. */
export function ActionButton(props: {
  onClick: () => Promise<unknown>;
  children: ReactNode;
  kind?: 'primary' | 'secondary' | 'danger';
  confirm?: string;
  disabled?: boolean;
  onError?: (err: unknown) => void;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const run = async () => {
    if (props.confirm && !window.confirm(props.confirm)) return;
    setBusy(true);
    setError(undefined);
    try {
      await props.onClick();
    } catch (err) {
      if (props.onError) props.onError(err);
      else setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <span className="action">
      <button type="button" className={props.kind ?? 'secondary'} disabled={busy || props.disabled} onClick={() => void run()}>
        {props.children}
      </button>
      {!!error && (
        <span className="inline-error" role="alert">
          {errorText(error)}
        </span>
      )}
    </span>
  );
}

/** Loads data on mount and when `deps` change; `reload()` refetches. */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]): { data?: T; error?: unknown; loading: boolean; reload: () => void } {
  const [state, setState] = useState<{ data?: T; error?: unknown; loading: boolean }>({ loading: true });
  const [tick, setTick] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  useEffect(() => {
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    loadRef.current().then(
      (data) => live && setState({ data, loading: false }),
      (error: unknown) => live && setState({ error, loading: false }),
    );
    return () => {
      live = false;
    };
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { ...state, reload };
}

export function Loading({ what }: { what: string }) {
  return (
    <p className="loading" role="status">
      Loading {what}…
    </p>
  );
}

export function Table({ head, rows, empty }: { head: ReactNode[]; rows: ReactNode[][]; empty: string }) {
  return (
    <table>
      <thead>
        <tr>
          {head.map((h, i) => (
            <th key={i} scope="col">
              {h}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.length === 0 ? (
          <tr>
            <td colSpan={head.length} className="empty">
              {empty}
            </td>
          </tr>
        ) : (
          rows.map((r, i) => (
            <tr key={i}>
              {r.map((c, j) => (
                <td key={j}>{c}</td>
              ))}
            </tr>
          ))
        )}
      </tbody>
    </table>
  );
}

export function formatDate(d: Date | number | undefined): string {
  if (d === undefined) return '—';
  const date = typeof d === 'number' ? new Date(d * 1000) : d;
  return date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
}
