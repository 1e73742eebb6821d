import type { ReactNode } from 'react';

export function Notice({ kind, children }: { kind: 'error' | 'info' | 'success'; children: ReactNode }) {
  return (
    <div className={`notice notice-${kind}`} role={kind === 'error' ? 'alert' : 'status'} data-testid={`notice-${kind}`}>
      {children}
    </div>
  );
}
