// Who is signed in, for the whole app. Amplify keeps tokens in localStorage, so a reload keeps the session.
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { Hub } from 'aws-amplify/utils';
import { getCurrentUser } from 'aws-amplify/auth';

export type AuthStatus = 'checking' | 'signedIn' | 'signedOut';

export interface AuthState {
  status: AuthStatus;
  username?: string;
  loginId?: string;
  recheck: () => Promise<void>;
}

const AuthContext = createContext<AuthState>({ status: 'checking', recheck: async () => {} });

export function AuthProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<Omit<AuthState, 'recheck'>>({ status: 'checking' });

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

  const value = useMemo(() => ({ ...state, recheck }), [state, recheck]);
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export const useAuth = (): AuthState => useContext(AuthContext);
