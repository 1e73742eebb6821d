import { NavLink, Outlet, useNavigate } from 'react-router-dom';
import { currentSession, endSession } from '../lib/session';

export function Layout() {
  const navigate = useNavigate();
  const session = currentSession();
  return (
    <div className="shell">
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="top">
        <NavLink to="/" className="brand">
          Corral console
        </NavLink>
        <nav aria-label="Services">
          <NavLink to="/user-pools">User Pools</NavLink>
          <NavLink to="/identity-pools">Federated Identities</NavLink>
          <NavLink to="/mailbox">Mailbox</NavLink>
          <NavLink to="/functions">Functions</NavLink>
        </nav>
        <div className="who">
          <span title="Signed in with this access key id">{session?.accessKeyId}</span> · <span>{session?.region}</span>
          <button
            type="button"
            className="link"
            onClick={() => {
              endSession('signed-out');
              void navigate('/signin');
            }}
          >
            Sign out
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <Outlet />
      </main>
    </div>
  );
}
