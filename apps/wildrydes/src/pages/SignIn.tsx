import { useState, type FormEvent } from 'react';
import { Link, useLocation, useNavigate } from 'react-router-dom';
import { confirmSignIn, signIn, type SignInOutput } from 'aws-amplify/auth';
import { Notice } from '../components/Notice';
import { PasswordHints } from '../components/PasswordHints';
import { passkeyProblem, passkeysSupported, useAuth } from '../lib/auth';
import { commonProblem, errorMessage, errorName } from '../lib/errors';
import { currentSession } from '../lib/session';
import { signInName } from '../lib/username';

type Stage = 'form' | 'mfa' | 'totpSetup' | 'newPassword' | 'verify';

interface TotpSetup {
  secret: string;
  uri: string;
}

interface SignInState {
  from?: string;
  email?: string;
  notice?: string;
}

const MFA_WORDS: Record<string, string> = {
  CONFIRM_SIGN_IN_WITH_SMS_CODE: 'the code we texted to your phone',
  CONFIRM_SIGN_IN_WITH_TOTP_CODE: 'the code from your authenticator app',
  CONFIRM_SIGN_IN_WITH_EMAIL_CODE: 'the code we emailed you',
};

/** The issuer an authenticator app shows next to the codes. */
const TOTP_ISSUER = 'WildRydes';

export function SignIn() {
  const location = useLocation();
  const navigate = useNavigate();
  const { recheck } = useAuth();
  const state = (location.state ?? {}) as SignInState;

  const [stage, setStage] = useState<Stage>('form');
  const [email, setEmail] = useState(state.email ?? '');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [newPassword, setNewPassword] = useState('');
  const [mfaWhere, setMfaWhere] = useState('');
  const [totp, setTotp] = useState<TotpSetup | undefined>();
  const [error, setError] = useState('');
  const [info, setInfo] = useState(state.notice ?? '');
  const [busy, setBusy] = useState(false);

  const finish = async () => {
    const session = await currentSession();
    console.log('Cognito User Identity Token:', session.idToken);
    await recheck();
    await navigate(state.from && state.from !== '/signin' ? state.from : '/app', { replace: true });
  };

  const next = async (result: SignInOutput) => {
    const step = result.nextStep.signInStep;
    setError('');
    if (step === 'DONE') return finish();
    if (step in MFA_WORDS) {
      setMfaWhere(MFA_WORDS[step] ?? 'your code');
      setCode('');
      setStage('mfa');
      return;
    }
    if (step === 'CONTINUE_SIGN_IN_WITH_TOTP_SETUP') {
      const details = result.nextStep.totpSetupDetails;
      const account = email.includes('@') ? email.trim() : signInName(email);
      setTotp({ secret: details.sharedSecret, uri: details.getSetupUri(TOTP_ISSUER, account).toString() });
      setCode('');
      setStage('totpSetup');
      return;
    }
    if (step === 'CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED') return setStage('newPassword');
    if (step === 'CONFIRM_SIGN_UP') return setStage('verify');
    if (step === 'RESET_PASSWORD') return setError('Your password needs to be reset before you can ride. Ask an administrator for help.');
    setError(`This account needs a sign-in step Wild Rydes does not support yet (${step}).`);
  };

  const explain = (err: unknown) => {
    const name = errorName(err);
    const message = errorMessage(err);
    if (name === 'UserAlreadyAuthenticatedException') return void finish();
    if (name === 'UserNotConfirmedException') return setStage('verify');
    if (name === 'NotAuthorizedException' && message.includes('Password attempts exceeded')) {
      return setError('Too many wrong passwords. Your account is paused for a little while: please wait a few minutes and try again.');
    }
    if (name === 'NotAuthorizedException' && message.includes('disabled')) return setError('This account is disabled.');
    if (name === 'NotAuthorizedException' || name === 'UserNotFoundException') return setError('Wrong email or password.');
    if (name === 'CodeMismatchException' || name === 'EnableSoftwareTokenMFAException') return setError('That code does not match. Please try again.');
    if (name === 'ExpiredCodeException') return setError('That code has expired. Please sign in again.');
    if (name === 'InvalidPasswordException') return setError(message);
    setError(commonProblem(err) ?? message);
  };

  const run = async (action: () => Promise<void>) => {
    setBusy(true);
    setError('');
    try {
      await action();
    } catch (err) {
      console.error('Sign-in problem: ', err);
      explain(err);
    } finally {
      setBusy(false);
    }
  };

  const onSubmitForm = (e: FormEvent) => {
    e.preventDefault();
    setInfo('');
    void run(async () => next(await signIn({ username: signInName(email), password })));
  };

  // A passkey instead of the password: USER_AUTH with WEB_AUTHN preferred; Amplify runs the browser's passkey prompt.
  // A rider without a passkey (or an unknown one) is offered the choice instead: say how to get one.
  const onPasskey = () => {
    setInfo('');
    setBusy(true);
    setError('');
    void (async () => {
      try {
        const result = await signIn({ username: signInName(email), options: { authFlowType: 'USER_AUTH', preferredChallenge: 'WEB_AUTHN' } });
        if (result.nextStep.signInStep === 'CONTINUE_SIGN_IN_WITH_FIRST_FACTOR_SELECTION') {
          setError('There is no passkey for this account yet. Sign in with your password, then add one on your Profile.');
          return;
        }
        await next(result);
      } catch (err) {
        console.error('Passkey sign-in problem: ', err);
        if (errorName(err) === 'NotAuthorizedException') setError('That passkey was not accepted. Sign in with your password instead.');
        else if (passkeyProblem(err)) setError(passkeyProblem(err)!);
        else explain(err);
      } finally {
        setBusy(false);
      }
    })();
  };

  const onSubmitMfa = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => next(await confirmSignIn({ challengeResponse: code.trim() })));
  };

  const onSubmitTotpSetup = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => next(await confirmSignIn({ challengeResponse: code.trim(), options: { friendlyDeviceName: 'Wild Rydes authenticator' } })));
  };

  const onSubmitNewPassword = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => next(await confirmSignIn({ challengeResponse: newPassword })));
  };

  if (stage === 'mfa') {
    return (
      <div className="content narrow">
        <form className="card form" onSubmit={onSubmitMfa} aria-labelledby="mfa-title">
          <h1 id="mfa-title">Enter MFA Code</h1>
          <p>One more step: enter {mfaWhere}.</p>
          {error && <Notice kind="error">{error}</Notice>}
          <label>
            Code
            <input name="code" inputMode="numeric" autoComplete="one-time-code" value={code} onChange={(e) => setCode(e.target.value)} required />
          </label>
          <div className="actions">
            <button type="submit" className="button" disabled={busy || !code.trim()}>
              Let&apos;s Ryde
            </button>
          </div>
        </form>
      </div>
    );
  }

  if (stage === 'totpSetup' && totp) {
    return (
      <div className="content narrow">
        <form className="card form" onSubmit={onSubmitTotpSetup} aria-labelledby="totp-title">
          <h1 id="totp-title">Set Up Your Authenticator</h1>
          <p>
            Wild Rydes asks riders for a second step at sign-in. Add Wild Rydes to an authenticator app (any app that speaks TOTP) with the key below, then
            enter the 6-digit code the app shows.
          </p>
          {error && <Notice kind="error">{error}</Notice>}
          <div className="totp-key">
            <span className="hint">Key (type it in, or copy it)</span>
            <code className="totp-secret" data-testid="totp-secret" aria-label="Authenticator key">
              {totp.secret.replace(/(.{4})(?=.)/g, '$1 ')}
            </code>
          </div>
          <div className="totp-key">
            <span className="hint">
              Or open this link on the phone with your app (<a href={totp.uri}>add to authenticator</a>):
            </span>
            <code data-testid="totp-uri">{totp.uri}</code>
          </div>
          <label>
            Code from your app
            <input name="code" inputMode="numeric" autoComplete="one-time-code" value={code} onChange={(e) => setCode(e.target.value)} required />
          </label>
          <div className="actions">
            <button type="submit" className="button" disabled={busy || !code.trim()}>
              Verify and Ryde
            </button>
          </div>
        </form>
      </div>
    );
  }

  if (stage === 'newPassword') {
    return (
      <div className="content narrow">
        <form className="card form" onSubmit={onSubmitNewPassword} aria-labelledby="newpw-title">
          <h1 id="newpw-title">Choose a New Password</h1>
          <p>Your account was set up with a temporary password. Pick your own to continue.</p>
          {error && <Notice kind="error">{error}</Notice>}
          <label>
            New Password
            <input
              type="password"
              name="newPassword"
              autoComplete="new-password"
              value={newPassword}
              onChange={(e) => setNewPassword(e.target.value)}
              required
            />
          </label>
          <PasswordHints password={newPassword} />
          <div className="actions">
            <button type="submit" className="button" disabled={busy || !newPassword}>
              Save and Ryde
            </button>
          </div>
        </form>
      </div>
    );
  }

  if (stage === 'verify') {
    const verifyLink = `/register?verify=1&email=${encodeURIComponent(email.includes('@') ? email.trim() : '')}`;
    return (
      <div className="content narrow">
        <div className="card form">
          <h1>Verify Your Email First</h1>
          <p>Your account is not verified yet. Enter the code we emailed you when you registered, then sign in.</p>
          <div className="actions">
            <Link className="button" to={verifyLink}>
              Verify Email
            </Link>
            <button type="button" className="button button-quiet" onClick={() => setStage('form')}>
              Back
            </button>
          </div>
        </div>
      </div>
    );
  }

  return (
    <div className="content narrow">
      <form className="card form" onSubmit={onSubmitForm} aria-labelledby="signin-title">
        <h1 id="signin-title">Sign In</h1>
        {state.from && state.from !== '/signin' && !info && <Notice kind="info">Please sign in to continue. We will take you right back.</Notice>}
        {info && <Notice kind="success">{info}</Notice>}
        {error && <Notice kind="error">{error}</Notice>}
        <label>
          Email
          <input name="email" autoComplete="username" placeholder="you@example.com" value={email} onChange={(e) => setEmail(e.target.value)} required />
        </label>
        <label>
          Password
          <input type="password" name="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required />
        </label>
        <div className="actions">
          <button type="submit" className="button" disabled={busy || !email.trim() || !password}>
            Let&apos;s Ryde
          </button>
          {passkeysSupported() && (
            <button type="button" className="button button-quiet" onClick={onPasskey} disabled={busy || !email.trim()}>
              Sign in with a passkey
            </button>
          )}
        </div>
        <p className="hint">
          New here? <Link to="/register">Register</Link>
        </p>
      </form>
    </div>
  );
}
