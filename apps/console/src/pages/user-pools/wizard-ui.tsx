// Small form pieces the wizard's pages share (on top of components/ui.tsx): a radio group whose options can carry
// nested controls, a fieldset with a question for a legend, a numbered problems box, and rows of repeated fields.
import { forwardRef, useId, useRef, useState, type ReactNode } from 'react';

let nextKey = 1;
/** A key for a new row or app client, unique in the page's life. */
export const newKey = () => nextKey++;

export function Question({ legend, children, hint }: { legend: string; children: ReactNode; hint?: ReactNode }) {
  return (
    <fieldset className="question">
      <legend>{legend}</legend>
      {hint && <p className="hint">{hint}</p>}
      {children}
    </fieldset>
  );
}

/** Radios in a fieldset; an option's `children` (nested choices) show under it while it is chosen. */
export function Choice<T extends string>(props: {
  legend: string;
  value: T;
  options: { value: T; label: ReactNode; hint?: ReactNode; children?: ReactNode }[];
  onChange: (v: T) => void;
}) {
  const name = useId();
  return (
    <fieldset className="question radios">
      <legend>{props.legend}</legend>
      {props.options.map((o) => {
        const id = `${name}-${o.value}`;
        return (
          <div key={o.value} className="choice">
            <div className="check">
              <input id={id} type="radio" name={name} value={o.value} checked={props.value === o.value} onChange={() => props.onChange(o.value)} />
              <label htmlFor={id}>{o.label}</label>
              {o.hint && <div className="hint">{o.hint}</div>}
            </div>
            {o.children && props.value === o.value && <div className="nested">{o.children}</div>}
          </div>
        );
      })}
    </fieldset>
  );
}

/** The checks a page failed (role=alert); focusable so "Next step" can move focus to it. */
export const Problems = forwardRef<HTMLDivElement, { problems: string[] }>(function Problems({ problems }, ref) {
  if (!problems.length) return null;
  return (
    <div className="notice error" role="alert" tabIndex={-1} ref={ref}>
      {problems.length === 1 ? (
        problems[0]
      ) : (
        <ul>
          {problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      )}
    </div>
  );
});

/** A labelled input for rows of repeated fields (custom attributes, tags), where ui.tsx's TextField is too wide. */
export function RowField(props: {
  label: string;
  value: string;
  onChange: (v: string) => void;
  autoFocus?: boolean;
  inputMode?: 'numeric' | 'text';
  prefix?: string;
  className?: string;
}) {
  const id = useId();
  return (
    <div className={`field row-field ${props.className ?? ''}`}>
      <label htmlFor={id}>{props.label}</label>
      <div className="prefixed">
        {props.prefix && (
          <span className="prefix" aria-hidden="true">
            {props.prefix}
          </span>
        )}
        <input id={id} value={props.value} inputMode={props.inputMode} autoFocus={props.autoFocus} onChange={(e) => props.onChange(e.target.value)} />
      </div>
    </div>
  );
}

/**
 * Rows of repeated fields (custom attributes, tags): each a fieldset "<noun> <n>" with its fields and "Remove", then
 * "Add <noun>". A new row's first field gets the focus (`autoFocus`); removing a row moves it to "Add <noun>".
 */
export function RowList<R extends { key: number }>(props: {
  noun: string;
  rows: R[];
  onChange: (rows: R[]) => void;
  newRow: (key: number) => R;
  fields: (row: R, update: (patch: Partial<R>) => void, autoFocus: boolean) => ReactNode;
  empty?: ReactNode;
}) {
  const addRef = useRef<HTMLButtonElement>(null);
  const [focusKey, setFocusKey] = useState<number>();
  const { noun, rows, onChange } = props;
  return (
    <>
      {rows.map((row, i) => (
        <fieldset key={row.key} className="row">
          <legend>{`${noun} ${i + 1}`}</legend>
          {props.fields(row, (patch) => onChange(rows.map((x) => (x.key === row.key ? { ...x, ...patch } : x))), focusKey === row.key)}
          <button
            type="button"
            className="link"
            aria-label={`Remove ${noun.toLowerCase()} ${i + 1}`}
            onClick={() => {
              onChange(rows.filter((x) => x.key !== row.key));
              addRef.current?.focus();
            }}
          >
            Remove
          </button>
        </fieldset>
      ))}
      {rows.length === 0 && props.empty}
      <button
        type="button"
        ref={addRef}
        className="secondary"
        onClick={() => {
          const key = newKey();
          setFocusKey(key);
          onChange([...rows, props.newRow(key)]);
        }}
      >
        {`Add ${noun.toLowerCase()}`}
      </button>
    </>
  );
}
