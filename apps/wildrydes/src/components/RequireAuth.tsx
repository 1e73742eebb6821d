import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router-dom';
import { useAuth } from '../lib/auth';

/** Private pages: signed-out visitors go to /signin and come back here afterwards. */
export function RequireAuth({ children }: { children: ReactNode }) {
  const { status, leavingTo, signingOut } = useAuth();
  const location = useLocation();
  if (leavingTo) return <Navigate to={leavingTo} replace />;
  if (signingOut) return <p className="loading">Signing out…</p>;
  if (status === 'checking') return <p className="loading">Saddling up…</p>;
  if (status === 'signedOut') {
    const from = location.pathname + location.search + location.hash;
    return <Navigate to="/signin" replace state={{ from }} />;
  }
  return <>{children}</>;
}
