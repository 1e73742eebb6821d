// Above a list: "Create <noun>" opens its form in place; once created, "Created <noun> <link>." and the list reloads.
import { useState, type ReactNode } from 'react';
import { Link } from 'react-router-dom';
import { Notice } from './ui';
import { FormButtons, useAction } from './form';

export interface CreateDone {
  onCreated: (name: string) => void;
  onCancel: () => void;
}

export function CreatePanel(props: { noun: string; pathOf: (name: string) => string; reload: () => void; form: (done: CreateDone) => ReactNode }) {
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<string>();
  const onCreated = (name: string) => {
    setCreating(false);
    setCreated(name);
    props.reload();
  };
  return (
    <>
      <div className="toolbar">
        {!creating && (
          <button
            type="button"
            className="primary"
            onClick={() => {
              setCreated(undefined);
              setCreating(true);
            }}
          >
            Create {props.noun}
          </button>
        )}
      </div>
      {created && (
        <Notice kind="success">
          Created {props.noun} <Link to={props.pathOf(created)}>{created}</Link>.
        </Notice>
      )}
      {creating && props.form({ onCreated, onCancel: () => setCreating(false) })}
    </>
  );
}

/** The form of a CreatePanel: its fields, a failure, then the submit button (named as the form) and "Cancel". */
export function CreateForm(props: { title: string; onSubmit: () => Promise<unknown>; onCancel: () => void; children: ReactNode }) {
  const { busy, error, run } = useAction();
  return (
    <form
      className="panel edit-form"
      aria-label={props.title}
      onSubmit={(e) => {
        e.preventDefault();
        void run(props.onSubmit);
      }}
    >
      <h2>{props.title}</h2>
      {props.children}
      <FormButtons error={error} busy={busy} submit={props.title} onCancel={props.onCancel} />
    </form>
  );
}
