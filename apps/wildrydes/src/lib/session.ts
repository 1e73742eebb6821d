import { fetchAuthSession } from 'aws-amplify/auth';
import { lastIdentityPoolProblem } from './config';

export interface RiderSession {
  idToken?: string;
  accessToken?: string;
  identityId?: string;
  /** Why identity-pool credentials were not available (the ride page works without them). */
  credentialsProblem?: string;
}

/** The current tokens, and the identity-pool identity when the identity pool answered. */
export async function currentSession(): Promise<RiderSession> {
  const session = await fetchAuthSession();
  return {
    idToken: session.tokens?.idToken?.toString(),
    accessToken: session.tokens?.accessToken?.toString(),
    identityId: session.identityId,
    credentialsProblem: session.identityId ? undefined : lastIdentityPoolProblem(),
  };
}
