import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { Link } from 'react-router-dom';
import {
  associateWebAuthnCredential,
  confirmUserAttribute,
  deleteWebAuthnCredential,
  fetchUserAttributes,
  listWebAuthnCredentials,
  sendUserAttributeVerificationCode,
  updateUserAttributes,
  type AuthWebAuthnCredential,
  type FetchUserAttributesOutput,
} from 'aws-amplify/auth';
import { Notice } from '../components/Notice';
import { passkeyProblem, passkeysSupported, useAuth } from '../lib/auth';
import { commonProblem, errorMessage, errorName } from '../lib/errors';

function Verified({ value, verified }: { value?: string; verified?: string }) {
  if (!value) return <span className="badge badge-muted">not set</span>;
  return verified === 'true' ? (
    <span className="badge badge-ok" data-testid="verified">
      verified
    </span>
  ) : (
    <span className="badge badge-warn" data-testid="unverified">
      not verified
    </span>
  );
}

/** The rider's passkeys: listed (every page of listWebAuthnCredentials), added and removed. */
function Passkeys() {
  const [passkeys, setPasskeys] = useState<AuthWebAuthnCredential[] | undefined>();
  const [error, setError] = useState('');
  const [info, setInfo] = useState('');
  const [busy, setBusy] = useState(false);

  const load = useCallback(async () => {
    const all: AuthWebAuthnCredential[] = [];
    let nextToken: string | undefined;
    do {
      const page = await listWebAuthnCredentials({ pageSize: 20, ...(nextToken ? { nextToken } : {}) });
      all.push(...page.credentials);
      nextToken = page.nextToken;
    } while (nextToken);
    setPasskeys(all);
  }, []);

  const run = async (action: () => Promise<void>) => {
    setBusy(true);
    setError('');
    setInfo('');
    try {
      await action();
    } catch (err) {
      console.error('Passkey problem: ', err);
      setError(passkeyProblem(err) ?? commonProblem(err) ?? errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  useEffect(() => {
    void run(load);
  }, [load]);

  const add = () =>
    void run(async () => {
      await associateWebAuthnCredential();
      await load();
      setInfo('Passkey added. Next time, choose "Sign in with a passkey": no password needed.');
    });

  const remove = (credentialId: string) =>
    void run(async () => {
      await deleteWebAuthnCredential({ credentialId });
      await load();
      setInfo('Passkey removed.');
    });

  return (
    <section className="passkeys" aria-labelledby="passkeys-title">
      <h2 id="passkeys-title">Passkeys</h2>
      <p className="hint">Sign in with your fingerprint, face or device PIN instead of a password.</p>
      {info && <Notice kind="success">{info}</Notice>}
      {error && <Notice kind="error">{error}</Notice>}
      {passkeys && passkeys.length === 0 && <p data-testid="no-passkeys">You have no passkeys yet.</p>}
      {passkeys && passkeys.length > 0 && (
        <ul className="passkey-list" data-testid="passkey-list">
          {passkeys.map((p) => (
            <li key={p.credentialId} data-testid="passkey">
              <span className="passkey-name">{p.friendlyCredentialName ?? 'Passkey'}</span>{' '}
              <span className="hint">added {p.createdAt ? p.createdAt.toLocaleDateString() : 'some time ago'}</span>{' '}
              <button type="button" className="button button-quiet" onClick={() => p.credentialId && remove(p.credentialId)} disabled={busy}>
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
      <div className="actions">
        <button type="button" className="button" onClick={add} disabled={busy || !passkeysSupported()}>
          Add a passkey
        </button>
      </div>
      {!passkeysSupported() && <p className="hint">This browser cannot make passkeys here (passkeys need https, or http on localhost).</p>}
    </section>
  );
}

export function Profile() {
  const { username } = useAuth();
  const [attrs, setAttrs] = useState<FetchUserAttributesOutput | undefined>();
  const [error, setError] = useState('');
  const [info, setInfo] = useState('');
  const [busy, setBusy] = useState(false);
  const [genre, setGenre] = useState('');
  const [newEmail, setNewEmail] = useState('');
  const [editingEmail, setEditingEmail] = useState(false);
  const [awaitingCode, setAwaitingCode] = useState(false);
  const [code, setCode] = useState('');

  const load = useCallback(async () => {
    try {
      const a = await fetchUserAttributes();
      setAttrs(a);
      setGenre(a['custom:genre'] ?? '');
      setNewEmail(a.email ?? '');
    } catch (err) {
      console.error('fetchUserAttributes', err);
      setError(commonProblem(err) ?? errorMessage(err));
    }
  }, []);

  useEffect(() => {
    void load();
  }, [load]);

  const run = async (action: () => Promise<void>) => {
    setBusy(true);
    setError('');
    setInfo('');
    try {
      await action();
    } catch (err) {
      console.error(err);
      const name = errorName(err);
      if (name === 'CodeMismatchException') setError('That code does not match. Please try again.');
      else if (name === 'ExpiredCodeException') setError('That code has expired. Send a new one.');
      else if (name === 'AliasExistsException') setError('Another rider already uses this email address.');
      else setError(commonProblem(err) ?? errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  const saveGenre = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      await updateUserAttributes({ userAttributes: { 'custom:genre': genre.trim() } });
      await load();
      setInfo('Genre saved. Your unicorn is tuning up.');
    });
  };

  const saveEmail = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      const result = await updateUserAttributes({ userAttributes: { email: newEmail.trim() } });
      const step = result.email?.nextStep;
      await load();
      setEditingEmail(false);
      if (step?.updateAttributeStep === 'CONFIRM_ATTRIBUTE_WITH_CODE') {
        setAwaitingCode(true);
        setInfo(`We sent a verification code to ${step.codeDeliveryDetails?.destination ?? newEmail.trim()}.`);
      } else {
        setInfo('Email saved.');
      }
    });
  };

  const sendCode = () =>
    void run(async () => {
      const details = await sendUserAttributeVerificationCode({ userAttributeKey: 'email' });
      setAwaitingCode(true);
      setInfo(`We sent a verification code to ${details.destination ?? attrs?.email ?? 'your email'}.`);
    });

  const confirmCode = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      await confirmUserAttribute({ userAttributeKey: 'email', confirmationCode: code.trim() });
      setAwaitingCode(false);
      setCode('');
      await load();
      setInfo('Email verified!');
    });
  };

  return (
    <div className="content narrow">
      <div className="card form profile">
        <h1>Profile</h1>
        {info && <Notice kind="success">{info}</Notice>}
        {error && <Notice kind="error">{error}</Notice>}
        {!attrs && !error && <p className="loading">Fetching your details…</p>}
        {attrs && (
          <>
            <dl className="attributes">
              <dt>Username</dt>
              <dd>{username}</dd>
              <dt>E-mail</dt>
              <dd data-testid="profile-email">
                {attrs.email ?? '—'} <Verified value={attrs.email} verified={attrs.email_verified} />
              </dd>
              <dt>Phone</dt>
              <dd data-testid="profile-phone">
                {attrs.phone_number ?? '—'} <Verified value={attrs.phone_number} verified={attrs.phone_number_verified} />
              </dd>
              <dt>Genre</dt>
              <dd data-testid="profile-genre">{attrs['custom:genre'] ?? '—'}</dd>
            </dl>

            <form onSubmit={saveGenre} className="inline-form">
              <label>
                Favourite genre
                <input name="genre" value={genre} onChange={(e) => setGenre(e.target.value)} />
              </label>
              <button type="submit" className="button" disabled={busy || genre.trim() === (attrs['custom:genre'] ?? '')}>
                Save genre
              </button>
            </form>

            {editingEmail ? (
              <form onSubmit={saveEmail} className="inline-form">
                <label>
                  New e-mail
                  <input type="email" name="newEmail" value={newEmail} onChange={(e) => setNewEmail(e.target.value)} required />
                </label>
                <button type="submit" className="button" disabled={busy || !newEmail.trim() || newEmail.trim() === attrs.email}>
                  Save e-mail
                </button>
                <button type="button" className="button button-quiet" onClick={() => setEditingEmail(false)}>
                  Cancel
                </button>
              </form>
            ) : (
              <div className="actions">
                <button type="button" className="button button-quiet" onClick={() => setEditingEmail(true)}>
                  Change e-mail
                </button>
                {attrs.email && attrs.email_verified !== 'true' && !awaitingCode && (
                  <button type="button" className="button button-quiet" onClick={sendCode} disabled={busy}>
                    Send verification code
                  </button>
                )}
              </div>
            )}

            {awaitingCode && (
              <form onSubmit={confirmCode} className="inline-form">
                <label>
                  Verification Code
                  <input
                    name="code"
                    inputMode="numeric"
                    autoComplete="one-time-code"
                    maxLength={6}
                    value={code}
                    onChange={(e) => setCode(e.target.value.replace(/\D/g, ''))}
                    required
                  />
                </label>
                <button type="submit" className="button" disabled={busy || code.length !== 6}>
                  Verify
                </button>
                <button type="button" className="button button-quiet" onClick={sendCode} disabled={busy}>
                  Resend code
                </button>
                <p className="hint">
                  <a href={`/mailbox?to=${encodeURIComponent(attrs.email ?? '')}`} target="_blank" rel="noopener">
                    Open the local mailbox
                  </a>
                </p>
              </form>
            )}

            <Passkeys />
          </>
        )}
        <p className="hint">
          <Link to="/app">Back to the ride page</Link>
        </p>
      </div>
    </div>
  );
}
