// Sign in with the admin key pair (what `corral credentials` prints), or with the console password when Corral
// has one (CORRAL_CONSOLE_PASSWORD), which Corral exchanges for that key pair. Either way the pair is checked with
// a signed call before the session starts, and it is kept only in this tab's sessionStorage.
import { useEffect, useState, type FormEvent } from 'react';
import { useLocation, useNavigate } from 'react-router-dom';
import { ApiError, idp } from '../lib/api';
import { fetchConsoleConfig, startSession, takeEndReason, type ConsoleConfig } from '../lib/session';
import { ErrorNotice, Notice, Radio, TextField } from '../components/ui';

export function SignIn() {
  const navigate = useNavigate();
  const location = useLocation();
  const from = (location.state as { from?: string } | null)?.from ?? '/';
  const [config, setConfig] = useState<ConsoleConfig>();
  const [configError, setConfigError] = useState<unknown>();
  const [mode, setMode] = useState<'keys' | 'password'>('keys');
  const [accessKeyId, setAccessKeyId] = useState('');
  const [secretAccessKey, setSecretAccessKey] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const [ended] = useState(() => takeEndReason());

  useEffect(() => {
    fetchConsoleConfig().then(setConfig, setConfigError);
  }, []);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!config) return;
    setBusy(true);
    setError(undefined);
    try {
      let keys = { accessKeyId: accessKeyId.trim(), secretAccessKey: secretAccessKey.trim() };
      if (mode === 'password') {
        const res = await fetch('/_corral/console-session', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ password }),
        });
        const body = (await res.json().catch(() => ({}))) as { accessKeyId?: string; secretAccessKey?: string; message?: string };
        if (!res.ok || !body.accessKeyId || !body.secretAccessKey)
          throw new ApiError('NotAuthorizedException', body.message ?? 'Incorrect password.', res.status);
        keys = { accessKeyId: body.accessKeyId, secretAccessKey: body.secretAccessKey };
      }
      startSession({ ...keys, region: config.region, idleMinutes: config.idleMinutes });
      try {
        await idp('ListUserPools', { MaxResults: 1 }); // proves the pair before anything else is shown
      } catch (err) {
        sessionStorage.clear();
        throw err;
      }
      void navigate(from, { replace: true });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="signin" id="main">
      <h1>Corral console</h1>
      {ended === 'idle' && <Notice>Your session ended after {config?.idleMinutes ?? 'some'} minutes without activity. Sign in again.</Notice>}
      {ended === 'signed-out' && <Notice>You signed out.</Notice>}
      <ErrorNotice error={configError} />
      <form onSubmit={(e) => void submit(e)}>
        {config?.passwordSignIn && (
          <Radio
            legend="Sign in with"
            value={mode}
            onChange={setMode}
            options={[
              { value: 'keys', label: 'Access key' },
              { value: 'password', label: 'Console password' },
            ]}
          />
        )}
        {mode === 'keys' ? (
          <>
            <TextField label="Access key ID" value={accessKeyId} onChange={setAccessKeyId} required autoFocus autoComplete="username" />
            <TextField
              label="Secret access key"
              type="password"
              value={secretAccessKey}
              onChange={setSecretAccessKey}
              required
              autoComplete="current-password"
            />
            <p className="hint">
              The admin key pair: <code>CORRAL_ACCESS_KEY_ID</code> / <code>CORRAL_SECRET_ACCESS_KEY</code>, or what <code>corral credentials</code> prints.
            </p>
          </>
        ) : (
          <TextField label="Console password" type="password" value={password} onChange={setPassword} required autoFocus autoComplete="current-password" />
        )}
        <ErrorNotice error={error} />
        <button type="submit" className="primary" disabled={busy || !config}>
          Sign in
        </button>
      </form>
    </main>
  );
}
