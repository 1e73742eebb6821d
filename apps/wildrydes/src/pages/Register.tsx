import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { confirmSignUp, resendSignUpCode, signUp } from 'aws-amplify/auth';
import { PasswordHints } from '../components/PasswordHints';
import { Notice } from '../components/Notice';
import { commonProblem, errorMessage, errorName } from '../lib/errors';
import { looksLikeEmail, toUsername } from '../lib/username';

export const PHONE_HINT = 'Invalid phone number format. Must include country code. Example: +14252345678';

export function Register() {
  const [params, setParams] = useSearchParams();
  const navigate = useNavigate();
  const stage = params.get('verify') ? 1 : 0;

  const [email, setEmail] = useState(params.get('email') ?? '');
  const [phone, setPhone] = useState('');
  const [genre, setGenre] = useState('');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [code, setCode] = useState(params.get('code') ?? '');
  const [error, setError] = useState('');
  const [info, setInfo] = useState('');
  const [busy, setBusy] = useState(false);

  const toVerify = (message: string) => {
    setInfo(message);
    setError('');
    setParams({ verify: '1', email: email.trim() }, { replace: false });
  };

  const onSubmitForm = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError('');
    try {
      const userAttributes: Record<string, string> = { email: email.trim() };
      if (phone.trim()) userAttributes.phone_number = phone.trim();
      if (genre.trim()) userAttributes['custom:genre'] = genre.trim();
      const result = await signUp({ username: toUsername(email), password, options: { userAttributes } });
      if (result.nextStep.signUpStep === 'DONE') {
        await navigate('/signin', { state: { email: email.trim(), notice: 'You are registered. Sign in to ride!' } });
        return;
      }
      const destination = result.nextStep.signUpStep === 'CONFIRM_SIGN_UP' ? result.nextStep.codeDeliveryDetails.destination : undefined;
      toVerify(`We sent a verification code to ${destination ?? email.trim()}.`);
    } catch (err) {
      console.error('Exception from signUp: ', err);
      const message = errorMessage(err);
      if (errorName(err) === 'UsernameExistsException' || message === 'User already exists') {
        toVerify('You are already registered. Enter the code from your email to finish, or ask for a new one.');
      } else if (message.includes('phone number format')) {
        setError(PHONE_HINT);
      } else if (errorName(err) === 'InvalidPasswordException') {
        setError(message);
      } else if (errorName(err) === 'UserLambdaValidationException') {
        setError(message.replace(/^PreSignUp failed with error /, ''));
      } else {
        setError(commonProblem(err) ?? message);
      }
    } finally {
      setBusy(false);
    }
  };

  const onSubmitVerification = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError('');
    setInfo('');
    try {
      await confirmSignUp({ username: toUsername(email), confirmationCode: code.trim() });
      await navigate('/signin', { state: { email: email.trim(), notice: 'Your email is verified. Sign in to ride!' } });
    } catch (err) {
      console.error('Exception from confirmSignUp: ', err);
      const name = errorName(err);
      const message = errorMessage(err);
      if (name === 'CodeMismatchException') setError('That code does not match. Check your mailbox and try again.');
      else if (name === 'ExpiredCodeException') setError('That code has expired. Press "Resend code" to get a new one.');
      else if (name === 'NotAuthorizedException' && message.includes('CONFIRMED')) {
        setInfo('This account is already verified.');
        setError('');
      } else if (name === 'AliasExistsException') setError('Another rider already uses this email address.');
      else setError(commonProblem(err) ?? message);
    } finally {
      setBusy(false);
    }
  };

  const onResend = async () => {
    setBusy(true);
    setError('');
    try {
      const result = await resendSignUpCode({ username: toUsername(email) });
      setInfo(`A new code is on its way to ${result.destination ?? email.trim()}.`);
    } catch (err) {
      console.error('Exception from resendSignUpCode: ', err);
      setError(commonProblem(err) ?? errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  const emailOk = looksLikeEmail(email);
  const canSubmit = emailOk && password.length > 0 && password === confirm && !busy;
  const mailboxLink = `/mailbox?to=${encodeURIComponent(email.trim())}`;

  if (stage === 1) {
    return (
      <div className="content narrow">
        <form className="card form" onSubmit={(e) => void onSubmitVerification(e)} aria-labelledby="verify-title">
          <h1 id="verify-title">Verify Email</h1>
          <p>Enter the 6-digit code we emailed you to finish signing up.</p>
          {info && <Notice kind="info">{info}</Notice>}
          {error && <Notice kind="error">{error}</Notice>}
          <label>
            Email
            <input type="email" name="email" autoComplete="email" value={email} onChange={(e) => setEmail(e.target.value)} required />
          </label>
          <label>
            Verification Code
            <input
              name="code"
              inputMode="numeric"
              autoComplete="one-time-code"
              pattern="[0-9]{6}"
              maxLength={6}
              placeholder="123456"
              value={code}
              onChange={(e) => setCode(e.target.value.replace(/\D/g, ''))}
              required
            />
          </label>
          <div className="actions">
            <button type="submit" className="button" disabled={busy || code.length !== 6 || !emailOk}>
              Verify
            </button>
            <button type="button" className="button button-quiet" onClick={() => void onResend()} disabled={busy || !emailOk}>
              Resend code
            </button>
          </div>
          <p className="hint">
            Running Wild Rydes yourself? Codes land in{' '}
            <a href={mailboxLink} target="_blank" rel="noopener" data-testid="mailbox-link">
              Open the local mailbox
            </a>
            .
          </p>
          <p className="hint">
            <Link to="/register">Start over</Link> · <Link to="/signin">Already verified? Sign In</Link>
          </p>
        </form>
      </div>
    );
  }

  return (
    <div className="content narrow">
      <form className="card form" onSubmit={(e) => void onSubmitForm(e)} aria-labelledby="register-title">
        <h1 id="register-title">Register</h1>
        <p>Join the herd. It takes a minute, and then a unicorn is only a click away.</p>
        {error && <Notice kind="error">{error}</Notice>}
        <label>
          Email
          <input type="email" name="email" autoComplete="email" value={email} onChange={(e) => setEmail(e.target.value)} required />
        </label>
        <label>
          Phone
          <input type="tel" name="phone" autoComplete="tel" placeholder="+14252345678" value={phone} onChange={(e) => setPhone(e.target.value)} />
        </label>
        <label>
          Genre
          <input name="genre" placeholder="jazz, blues, classical…" value={genre} onChange={(e) => setGenre(e.target.value)} />
        </label>
        <label>
          Password
          <input type="password" name="password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} required />
        </label>
        <label>
          Confirm Password
          <input type="password" name="confirm" autoComplete="new-password" value={confirm} onChange={(e) => setConfirm(e.target.value)} required />
        </label>
        <PasswordHints password={password} confirm={confirm} />
        <div className="actions">
          <button type="submit" className="button" disabled={!canSubmit}>
            Let&apos;s Ryde
          </button>
        </div>
        <p className="hint">
          Already registered? <Link to="/signin">Sign In</Link> · <Link to={`/register?verify=1&email=${encodeURIComponent(email.trim())}`}>I have a code</Link>
        </p>
      </form>
    </div>
  );
}
