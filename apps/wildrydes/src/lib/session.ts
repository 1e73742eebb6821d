import { fetchAuthSession } from 'aws-amplify/auth';
import { cognitoUserPoolsTokenProvider } from 'aws-amplify/auth/cognito';

export interface RiderSession {
  idToken?: string;
  accessToken?: string;
  identityId?: string;
  /** Why identity-pool credentials were not available (the ride page works without them). */
  credentialsProblem?: string;
}

/**
 * The current tokens. Identity-pool credentials come along when the identity pool answers; when it does not
 * (not configured, or not served yet) we still return the user pool tokens.
 */
export async function currentSession(): Promise<RiderSession> {
  try {
    const session = await fetchAuthSession();
    return {
      idToken: session.tokens?.idToken?.toString(),
      accessToken: session.tokens?.accessToken?.toString(),
      identityId: session.identityId,
    };
  } catch (err) {
    const tokens = await cognitoUserPoolsTokenProvider.getTokens();
    return {
      idToken: tokens?.idToken?.toString(),
      accessToken: tokens?.accessToken?.toString(),
      credentialsProblem: err instanceof Error ? err.message : String(err),
    };
  }
}
