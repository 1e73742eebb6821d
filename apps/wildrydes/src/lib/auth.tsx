// Who is signed in, for the whole app. Amplify keeps tokens in localStorage, so a reload keeps the session.
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { useLocation } from 'react-router-dom';
import { Hub } from 'aws-amplify/utils';
import { getCurrentUser, signOut } from 'aws-amplify/auth';

export type AuthStatus = 'checking' | 'signedIn' | 'signedOut';

export interface AuthState {
  status: AuthStatus;
  username?: string;
  loginId?: string;
  /** Set while a sign-out takes the rider to this page (private pages go there instead of to /signin). */
  leavingTo?: string;
  /** True while Amplify signs out (and, for a global sign-out, tells Corral). */
  signingOut?: boolean;
  recheck: () => Promise<void>;
  /** Signs out (everywhere with `global`) and returns Home. */
  signOutHome: (global?: boolean) => Promise<void>;
}

const AuthContext = createContext<AuthState>({ status: 'checking', recheck: async () => {}, signOutHome: async () => {} });

export function AuthProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<Pick<AuthState, 'status' | 'username' | 'loginId'>>({ status: 'checking' });
  const [leavingTo, setLeavingTo] = useState<string | undefined>();
  const [signingOut, setSigningOut] = useState(false);
  const location = useLocation();

  const recheck = useCallback(async () => {
    try {
      const user = await getCurrentUser();
      setState({ status: 'signedIn', username: user.username, loginId: user.signInDetails?.loginId });
    } catch {
      setState({ status: 'signedOut' });
    }
  }, []);

  useEffect(() => {
    void recheck();
    return Hub.listen('auth', ({ payload }) => {
      if (payload.event === 'signedIn' || payload.event === 'signedOut' || payload.event === 'tokenRefresh_failure') {
        void recheck();
      }
    });
  }, [recheck]);

  // Router navigations are transitions: without this, the "signed out" render of a private page would send the
  // rider to /signin before the navigation Home lands.
  useEffect(() => {
    if (leavingTo && location.pathname === leavingTo) setLeavingTo(undefined);
  }, [leavingTo, location.pathname]);

  // Home only once Amplify has finished: leaving earlier (or a reload meanwhile) would abort the sign-out with the
  // tokens still in localStorage, and the rider would still be signed in.
  const signOutHome = useCallback(async (global = false) => {
    setSigningOut(true);
    try {
      await signOut(global ? { global: true } : undefined);
    } finally {
      setLeavingTo('/');
      setSigningOut(false);
    }
  }, []);

  const value = useMemo(() => ({ ...state, leavingTo, signingOut, recheck, signOutHome }), [state, leavingTo, signingOut, recheck, signOutHome]);
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export const useAuth = (): AuthState => useContext(AuthContext);

// ---- Passkeys (aws-amplify's own WebAuthn APIs; the pool allows WEB_AUTHN with the site's host as relying party).

/** Whether this browser can make and use passkeys here (a secure context: https, or http on localhost). */
export function passkeysSupported(): boolean {
  return typeof window !== 'undefined' && window.isSecureContext && typeof window.PublicKeyCredential === 'function' && !!navigator.credentials;
}

/** What a rider should read when a passkey ceremony fails (undefined: not a passkey problem). */
export function passkeyProblem(err: unknown): string | undefined {
  const name = err && typeof err === 'object' && 'name' in err ? String((err as { name: unknown }).name) : '';
  switch (name) {
    case 'PasskeyRegistrationCanceled':
    case 'PasskeyAuthenticationCanceled':
    case 'PasskeyOperationAborted':
      return 'The passkey prompt was closed before it finished. Try again when you are ready.';
    case 'PasskeyAlreadyExists':
      return 'This device already holds a passkey for your account.';
    case 'PasskeyNotSupported':
      return 'This browser cannot use passkeys here.';
    case 'RelyingPartyMismatch':
    case 'WebAuthnRelyingPartyMismatchException':
    case 'WebAuthnOriginNotAllowedException':
      return 'Passkeys for Wild Rydes only work on the site address the sign-in service names.';
    case 'WebAuthnNotEnabledException':
    case 'WebAuthnConfigurationMissingException':
      return 'Passkeys are not switched on for Wild Rydes riders.';
    case 'WebAuthnChallengeNotFoundException':
      return 'That took too long. Please try adding the passkey again.';
    case 'WebAuthnCredentialNotSupportedException':
      return 'This passkey provider is not supported. Try another one.';
    default:
      return undefined;
  }
}
