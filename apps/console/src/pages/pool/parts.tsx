// Building blocks of the pool pages: a settings section with an "Edit" mode, the edit form (Save changes / Cancel,
// its error shown in the form), a group of checkboxes, tabs, and the user status badges.
import { useId, useState, type FormEvent, type ReactNode } from 'react';
import { NavLink } from 'react-router-dom';
import { Checkbox, Notice } from '../../components/ui';
import { FormButtons, useAction } from '../../components/form';

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
  const { busy, error, run } = useAction();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      await props.onSave();
      props.done(true);
    });
  };
  return (
    <form className="edit-form" onSubmit={submit}>
      {props.children}
      <FormButtons error={error} busy={busy} submit={busy ? 'Saving…' : (props.saveLabel ?? 'Save changes')} onCancel={() => props.done(false)} />
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
