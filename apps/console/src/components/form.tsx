// What forms share: the action a form or button runs (`busy` while it runs, its failure kept in `error`, cleared
// when it runs again), and a form's last lines (its failure, the submit button and "Cancel").
import { useState, type ReactNode } from 'react';
import { ErrorNotice } from './ui';

export function useAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const run = async (action: () => Promise<unknown>) => {
    setBusy(true);
    setError(undefined);
    try {
      await action();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, run };
}

/** The failure, then the submit button (disabled while `busy`) and, with `onCancel`, "Cancel". */
export function FormButtons(props: { error: unknown; busy: boolean; submit: ReactNode; onCancel?: () => void }) {
  return (
    <>
      <ErrorNotice error={props.error} />
      <div className="toolbar">
        <button type="submit" className="primary" disabled={props.busy}>
          {props.submit}
        </button>
        {props.onCancel && (
          <button type="button" className="secondary" onClick={props.onCancel}>
            Cancel
          </button>
        )}
      </div>
    </>
  );
}
