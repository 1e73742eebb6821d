// Building blocks of the pool pages: a settings section with an "Edit" mode, the edit form (Save changes / Cancel,
// its error shown in the form), a group of checkboxes, tabs, and the user status badges.
import { useId, useState, type FormEvent, type ReactNode } from 'react';
import { NavLink } from 'react-router-dom';
import { Checkbox, ErrorNotice, Notice } from '../../components/ui';

/**
 * A titled panel (a region named by its heading). With `edit`, an "Edit" button (named "Edit <title>") swaps the
 * view for the editor; the editor calls `done(true)` after saving (a "Saved." notice shows) or `done(false)`.
 */
export function Section(props: { title: string; children: ReactNode; edit?: (done: (saved: boolean) => void) => ReactNode; actions?: ReactNode }) {
  const id = useId();
  const [editing, setEditing] = useState(false);
  const [saved, setSaved] = useState(false);
  return (
    <section className="panel pool-section" aria-labelledby={id}>
      <div className="section-head">
        <h2 id={id}>{props.title}</h2>
        <div className="section-actions">
          {props.actions}
          {props.edit && !editing && (
            <button
              type="button"
              className="secondary"
              aria-label={`Edit ${props.title}`}
              onClick={() => {
                setSaved(false);
                setEditing(true);
              }}
            >
              Edit
            </button>
          )}
        </div>
      </div>
      {saved && !editing && <Notice kind="success">Saved.</Notice>}
      {editing && props.edit
        ? props.edit((ok) => {
            setEditing(false);
            setSaved(ok);
          })
        : props.children}
    </section>
  );
}

/** An edit form: its fields, then "Save changes" (submit: Enter works) and "Cancel"; a failure is shown above them. */
export function EditForm(props: { onSave: () => Promise<unknown>; done: (saved: boolean) => void; children: ReactNode; saveLabel?: string }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await props.onSave();
      setBusy(false);
      props.done(true);
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };
  return (
    <form className="edit-form" onSubmit={(e) => void submit(e)}>
      {props.children}
      <ErrorNotice error={error} />
      <div className="toolbar">
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Saving…' : (props.saveLabel ?? 'Save changes')}
        </button>
        <button type="button" className="secondary" onClick={() => props.done(false)}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** A fieldset of checkboxes choosing a subset of `options`. */
export function CheckGroup<T extends string>(props: {
  legend: string;
  options: { value: T; label: ReactNode }[];
  value: readonly T[];
  onChange: (v: T[]) => void;
  hint?: ReactNode;
}) {
  return (
    <fieldset className="check-group">
      <legend>{props.legend}</legend>
      {props.hint && <div className="hint">{props.hint}</div>}
      {props.options.map((o) => (
        <Checkbox
          key={o.value}
          label={o.label}
          checked={props.value.includes(o.value)}
          onChange={(on) => props.onChange(on ? [...props.value.filter((v) => v !== o.value), o.value] : props.value.filter((v) => v !== o.value))}
        />
      ))}
    </fieldset>
  );
}

/** Links styled as tabs (e.g. Users | Groups). */
export function Tabs({ label, tabs }: { label: string; tabs: { to: string; label: string; end?: boolean }[] }) {
  return (
    <nav className="tabs" aria-label={label}>
      {tabs.map((t) => (
        <NavLink key={t.to} to={t.to} end={t.end}>
          {t.label}
        </NavLink>
      ))}
    </nav>
  );
}

export function EnabledBadge({ enabled }: { enabled: boolean | undefined }) {
  return <span className={`badge ${enabled ? 'ok' : 'bad'}`}>{enabled ? 'Enabled' : 'Disabled'}</span>;
}

export function StatusBadge({ status }: { status: string | undefined }) {
  const kind = status === 'CONFIRMED' ? 'ok' : status === 'RESET_REQUIRED' || status === 'COMPROMISED' ? 'bad' : '';
  return <span className={`badge ${kind}`}>{status ?? 'UNKNOWN'}</span>;
}

/** A list typed one per line (URLs, scopes): blank lines and surrounding spaces dropped. */
export function lines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((s) => s.trim())
    .filter(Boolean);
}

export function yesNo(v: boolean | undefined): string {
  return v ? 'Yes' : 'No';
}

/** What a list shows when empty. */
export function listText(values: readonly string[] | undefined, empty = 'None'): string {
  return values && values.length ? values.join(', ') : empty;
}
