// Boot: fetch /config.json, point Amplify at Corral, then render. No ids are baked into the bundle.
import { StrictMode, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router-dom';
import { App } from './App';
import { UnicornHead } from './components/Unicorn';
import { AuthProvider } from './lib/auth';
import { applyConfig, ConfigUnavailable, fetchConfig } from './lib/config';
import './styles.css';

type Boot = { state: 'loading' } | { state: 'ready' } | { state: 'failed'; message: string; retrying: boolean };

function Root() {
  const [boot, setBoot] = useState<Boot>({ state: 'loading' });

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    const attempt = async () => {
      try {
        applyConfig(await fetchConfig());
        if (!stopped) setBoot({ state: 'ready' });
      } catch (err) {
        const retrying = err instanceof ConfigUnavailable ? err.retryable : false;
        const message = err instanceof Error ? err.message : String(err);
        console.error('Wild Rydes configuration:', message);
        if (stopped) return;
        setBoot({ state: 'failed', message, retrying });
        if (retrying) timer = setTimeout(() => void attempt(), 3000);
      }
    };
    void attempt();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, []);

  if (boot.state === 'ready') {
    return (
      <BrowserRouter>
        <AuthProvider>
          <App />
        </AuthProvider>
      </BrowserRouter>
    );
  }
  return (
    <div className="boot">
      <UnicornHead size={96} />
      <h1>Wild Rydes</h1>
      {boot.state === 'loading' ? (
        <p>Saddling up…</p>
      ) : (
        <div className="card boot-problem" role="alert" data-testid="config-problem">
          <h2>We could not find our sign-in settings</h2>
          <p>{boot.message}</p>
          <p className="hint">
            Start Corral (<code>npm start</code>), or paste your user pool id, app client id and identity pool id into <code>apps/wildrydes/config.json</code>{' '}
            (see <code>config.example.json</code>).
            {boot.retrying ? ' Trying again every few seconds…' : ''}
          </p>
        </div>
      )}
    </div>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <Root />
  </StrictMode>,
);
