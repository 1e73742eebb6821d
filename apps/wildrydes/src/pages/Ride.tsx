import { useEffect, useState } from 'react';
import { useAuth } from '../lib/auth';
import { RideMap } from '../components/RideMap';
import { TokenPanel } from '../components/TokenPanel';
import { OSM_TILES, siteConfig } from '../lib/config';
import { currentSession, type RiderSession } from '../lib/session';

export function Ride() {
  const { signOutHome } = useAuth();
  const [session, setSession] = useState<RiderSession | undefined>();
  const [problem, setProblem] = useState('');
  const [pickup, setPickup] = useState<string>('');
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    currentSession().then(
      (s) => {
        setSession(s);
      },
      (err: unknown) => setProblem(err instanceof Error ? err.message : String(err)),
    );
  }, []);

  const leave = async (global: boolean) => {
    setBusy(true);
    try {
      await signOutHome(global);
    } catch (err) {
      console.error('Sign out failed:', err);
      setBusy(false);
    }
  };

  return (
    <div className="ride">
      <RideMap tileUrl={siteConfig().tileUrl ?? OSM_TILES} onPickup={(at) => setPickup(`${at.lat.toFixed(4)}, ${at.lng.toFixed(4)}`)} />
      <section className="ride-panel card" aria-labelledby="ride-title">
        <h2 id="ride-title">Successfully Authenticated!</h2>
        <p>This page is not functional yet because there is no API configured.</p>
        {pickup && (
          <p className="notice notice-info" data-testid="pickup">
            Pickup pinned at {pickup}. Ride requests will work once the ride API is configured.
          </p>
        )}
        <div className="actions">
          <button type="button" className="button" onClick={() => void leave(false)} disabled={busy}>
            Sign Out
          </button>
          <button type="button" className="button button-quiet" onClick={() => void leave(true)} disabled={busy}>
            Sign out everywhere
          </button>
        </div>
        <h3>Here is your user&apos;s identity token:</h3>
        {problem && <p className="notice notice-error">Could not read your session: {problem}</p>}
        {!session && !problem && <p className="loading">Reading your session…</p>}
        {session && !session.idToken && <p className="notice notice-error">No ID token in this session.</p>}
        {session?.idToken && <TokenPanel token={session.idToken} />}
        {session?.identityId && (
          <p className="hint">
            Identity pool identity: <code>{session.identityId}</code>
          </p>
        )}
        {session?.credentialsProblem && (
          <p className="hint" data-testid="identity-pool-problem">
            No identity pool credentials yet (the ride API will need them): {session.credentialsProblem}
          </p>
        )}
      </section>
    </div>
  );
}
