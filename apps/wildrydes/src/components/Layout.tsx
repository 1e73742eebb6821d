import { useEffect, useState } from 'react';
import { Link, NavLink, Outlet, useLocation, useNavigate } from 'react-router-dom';
import { useAuth } from '../lib/auth';
import { UnicornHead } from './Unicorn';

export const MENU = [
  { to: '/', label: 'Home' },
  { to: '/unicorns', label: 'Meet the Unicorns' },
  { to: '/investors', label: 'Investors & Board of Directors' },
  { to: '/faq', label: 'FAQ' },
  { to: '/profile', label: 'Profile' },
  { to: '/register', label: 'Register' },
  { to: '/signin', label: 'Sign In' },
];

function Header() {
  const [open, setOpen] = useState(false);
  const location = useLocation();
  const navigate = useNavigate();
  const { status, signOutHome } = useAuth();
  useEffect(() => {
    setOpen(false);
  }, [location.pathname]);

  // Home after Amplify has cleared the session (a private page goes there by itself; a public one is replaced).
  const onSignOut = async () => {
    try {
      await signOutHome();
    } catch (err) {
      console.error('Sign out failed:', err);
      return;
    }
    await navigate('/', { replace: true });
  };

  return (
    <header className="site-header">
      <Link to="/" className="brand" aria-label="Wild Rydes home">
        <UnicornHead size={40} />
        <span>Wild Rydes</span>
      </Link>
      <button type="button" className="menu-toggle" aria-expanded={open} aria-controls="site-menu" onClick={() => setOpen((o) => !o)}>
        <span aria-hidden="true">☰</span> Menu
      </button>
      <nav id="site-menu" className={open ? 'menu open' : 'menu'} aria-label="Main menu">
        <ul>
          {MENU.map((item) =>
            item.to === '/signin' && status === 'signedIn' ? (
              <li key="signout">
                <button type="button" className="linklike" onClick={() => void onSignOut()}>
                  Sign Out
                </button>
              </li>
            ) : (
              <li key={item.to}>
                <NavLink to={item.to} end>
                  {item.label}
                </NavLink>
              </li>
            ),
          )}
          <li>
            <NavLink to="/app" className="menu-ride">
              Ride
            </NavLink>
          </li>
        </ul>
      </nav>
    </header>
  );
}

function Footer() {
  return (
    <footer className="site-footer">
      <svg className="footer-hills" viewBox="0 0 1200 60" preserveAspectRatio="none" aria-hidden="true">
        <path d="M0 60 V30 C 150 0, 300 50, 450 25 S 750 0, 900 30 S 1100 10, 1200 28 V60 Z" fill="currentColor" />
      </svg>
      <nav aria-label="Footer menu">
        <ul>
          {MENU.map((item) => (
            <li key={item.to}>
              <Link to={item.to}>{item.label}</Link>
            </li>
          ))}
          <li>
            <Link to="/mailbox">Local mailbox</Link>
          </li>
        </ul>
      </nav>
      <p className="fineprint">
        © Wild Rydes, the unicorn ride-share. Sign-up and sign-in powered by Corral. No unicorns were rushed in the making of this website.
      </p>
    </footer>
  );
}

export function Layout() {
  const location = useLocation();
  useEffect(() => {
    window.scrollTo(0, 0);
  }, [location.pathname]);
  return (
    <div className="page">
      <a className="skip" href="#main">
        Skip to content
      </a>
      <Header />
      <main id="main">
        <Outlet />
      </main>
      <Footer />
    </div>
  );
}
