// Token paging of a list (NextToken): "Previous page", the page shown, "Next page".
import { useState, type ReactNode } from 'react';

/** The tokens of the pages up to the one shown (tokens[0] = undefined: page 1); `n` is the page shown, from 0. */
export function usePaging() {
  const [tokens, setTokens] = useState<(string | undefined)[]>([undefined]);
  const [n, setN] = useState(0);
  const token = tokens[n];
  return {
    n,
    token,
    /** `{ NextToken }` to spread into the request, empty on page 1. */
    nextToken: token ? { NextToken: token } : {},
    previous: () => setN(n - 1),
    next: (next: string | undefined) => {
      setTokens([...tokens.slice(0, n + 1), next]);
      setN(n + 1);
    },
  };
}

export type Paging = ReturnType<typeof usePaging>;

/** The buttons around `children` (what page it is); a missing handler disables its button. */
export function PagerBar({ onPrevious, onNext, children }: { onPrevious?: () => void; onNext?: () => void; children: ReactNode }) {
  return (
    <div className="toolbar pager">
      <button type="button" className="secondary" disabled={!onPrevious} onClick={onPrevious}>
        Previous page
      </button>
      {children}
      <button type="button" className="secondary" disabled={!onNext} onClick={onNext}>
        Next page
      </button>
    </div>
  );
}

/** The pager of a `usePaging` list, shown once there is a second page; `next` is the shown page's NextToken. */
export function Pager({ paging, next }: { paging: Paging; next: string | undefined }) {
  if (paging.n === 0 && !next) return null;
  return (
    <PagerBar onPrevious={paging.n > 0 ? paging.previous : undefined} onNext={next ? () => paging.next(next) : undefined}>
      <span>Page {paging.n + 1}</span>
    </PagerBar>
  );
}
