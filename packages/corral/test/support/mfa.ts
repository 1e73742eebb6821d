// MFA helpers for tests (Corral's own and the Wild Rydes browser test): TOTP codes as an authenticator app
// computes them, a pool that requires TOTP, and a user enrolled with an authenticator through the public API.
//
//   await requireTotpMfa(idp, poolId);                       // MfaConfiguration ON, TOTP the only factor
//   const totp = await enrollTotp({ endpoint, clientId, username, password });
//   …sign in… → CONFIRM_SIGN_IN_WITH_TOTP_CODE → confirmSignIn({ challengeResponse: totp.nextCode() })
//
// A code is accepted once (Corral, like Cognito, refuses a time step already used), and enrolment used the
// current step: nextCode() gives the following step's code, which the ±1-step window accepts.
import {
  AssociateSoftwareTokenCommand,
  CognitoIdentityProviderClient,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  SetUserMFAPreferenceCommand,
  SetUserPoolMfaConfigCommand,
  VerifySoftwareTokenCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { Secret, TOTP } from 'otpauth';

/** The 6-digit code an authenticator shows for `secret` (base32 SecretCode) at time `at` (ms). */
export function totpCode(secret: string, at = Date.now()): string {
  return new TOTP({ secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: 30 }).generate({ timestamp: at });
}

/** The code of the step after `at`'s: accepted (±1 step) when `at`'s step was already used. */
export function nextTotpCode(secret: string, at = Date.now()): string {
  return totpCode(secret, at + 30_000);
}

/** Makes the pool require MFA with TOTP as its only factor (or OPTIONAL). `idp` signs with admin credentials. */
export async function requireTotpMfa(idp: CognitoIdentityProviderClient, poolId: string, mode: 'ON' | 'OPTIONAL' = 'ON'): Promise<void> {
  await idp.send(new SetUserPoolMfaConfigCommand({ UserPoolId: poolId, MfaConfiguration: mode, SoftwareTokenMfaConfiguration: { Enabled: true } }));
}

export interface Enrolled {
  secret: string;
  /** A code not used yet (the step after now's). */
  nextCode(): string;
}

/**
 * Gives a confirmed user a verified authenticator, preferred for sign-in: through MFA_SETUP when the pool
 * requires MFA, else with the access token and SetUserMFAPreference. Needs USER_PASSWORD_AUTH on the client.
 */
export async function enrollTotp(opts: { endpoint: string; clientId: string; username: string; password: string }): Promise<Enrolled> {
  const pub = new CognitoIdentityProviderClient({
    region: 'us-east-1',
    endpoint: opts.endpoint,
    maxAttempts: 1,
    credentials: { accessKeyId: 'unused', secretAccessKey: 'unused' },
  });
  try {
    const first = await pub.send(
      new InitiateAuthCommand({
        ClientId: opts.clientId,
        AuthFlow: 'USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: opts.username, PASSWORD: opts.password },
      }),
    );
    let secret: string;
    if (first.ChallengeName === 'MFA_SETUP') {
      const assoc = await pub.send(new AssociateSoftwareTokenCommand({ Session: first.Session }));
      secret = assoc.SecretCode!;
      const verified = await pub.send(
        new VerifySoftwareTokenCommand({ Session: assoc.Session, UserCode: totpCode(secret), FriendlyDeviceName: 'test authenticator' }),
      );
      await pub.send(
        new RespondToAuthChallengeCommand({
          ClientId: opts.clientId,
          ChallengeName: 'MFA_SETUP',
          Session: verified.Session,
          ChallengeResponses: { USERNAME: opts.username },
        }),
      );
    } else if (first.AuthenticationResult?.AccessToken) {
      const AccessToken = first.AuthenticationResult.AccessToken;
      secret = (await pub.send(new AssociateSoftwareTokenCommand({ AccessToken }))).SecretCode!;
      await pub.send(new VerifySoftwareTokenCommand({ AccessToken, UserCode: totpCode(secret), FriendlyDeviceName: 'test authenticator' }));
      await pub.send(new SetUserMFAPreferenceCommand({ AccessToken, SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true } }));
    } else {
      throw new Error(`enrollTotp: sign-in answered ${first.ChallengeName}, not MFA_SETUP or tokens`);
    }
    return { secret, nextCode: () => nextTotpCode(secret) };
  } finally {
    pub.destroy();
  }
}
