// The console's pages. Everything but the sign-in page needs a session (the admin key pair in this tab).
import { useEffect, useState } from 'react';
import { Navigate, Route, Routes, useLocation } from 'react-router-dom';
import { Layout } from './components/Layout';
import { currentSession, noteActivity } from './lib/session';
import { SignIn } from './pages/SignIn';
import { Home } from './pages/Home';
import { UserPools } from './pages/user-pools/UserPools';
import { CreateUserPool } from './pages/user-pools/CreateUserPool';
import { PoolPages } from './pages/pool/PoolPages';
import { IdentityPools } from './pages/identity-pools/IdentityPools';
import { CreateIdentityPool } from './pages/identity-pools/CreateIdentityPool';
import { IdentityPoolPages } from './pages/identity-pools/IdentityPoolPages';
import { Mailbox } from './pages/Mailbox';
import { Functions } from './pages/Functions';

/** Re-renders when the session starts or ends (in this tab), and checks idleness every 15 s; a keystroke or a
 *  click counts as activity (typing through a long form is not idleness). */
function useSession() {
  const [session, setSession] = useState(() => currentSession());
  useEffect(() => {
    const update = () => setSession(currentSession());
    const active = () => noteActivity();
    window.addEventListener('corral-session', update);
    window.addEventListener('keydown', active, { capture: true, passive: true });
    window.addEventListener('pointerdown', active, { capture: true, passive: true });
    const timer = setInterval(update, 15_000);
    return () => {
      window.removeEventListener('corral-session', update);
      window.removeEventListener('keydown', active, { capture: true });
      window.removeEventListener('pointerdown', active, { capture: true });
      clearInterval(timer);
    };
  }, []);
  return session;
}

export function App() {
  const session = useSession();
  const location = useLocation();
  if (!session && location.pathname !== '/signin') {
    return <Navigate to="/signin" replace state={{ from: location.pathname + location.search }} />;
  }
  return (
    <Routes>
      <Route path="/signin" element={<SignIn />} />
      <Route element={<Layout />}>
        <Route index element={<Home />} />
        <Route path="user-pools" element={<UserPools />} />
        <Route path="user-pools/new" element={<CreateUserPool />} />
        <Route path="user-pools/:poolId/*" element={<PoolPages />} />
        <Route path="identity-pools" element={<IdentityPools />} />
        <Route path="identity-pools/new" element={<CreateIdentityPool />} />
        <Route path="identity-pools/:identityPoolId/*" element={<IdentityPoolPages />} />
        <Route path="mailbox" element={<Mailbox />} />
        <Route path="functions" element={<Functions />} />
        <Route path="*" element={<Navigate to="/" replace />} />
      </Route>
    </Routes>
  );
}
