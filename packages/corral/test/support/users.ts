// Confirmed users for sign-in tests, made through the public API as a rider would.
import { CognitoIdentityProviderClient, ConfirmSignUpCommand, SignUpCommand } from '@aws-sdk/client-cognito-identity-provider';
import { startTestCorral, type Backend, type TestCorral } from './corral.js';
import { createWildRydesPool, latestCode, type SeedPool } from './pools.js';

/** An SDK client for the unsigned (public) operations, as a browser or app would call them. */
export function publicClient(corral: TestCorral): CognitoIdentityProviderClient {
  return new CognitoIdentityProviderClient({
    region: 'us-east-1',
    endpoint: corral.url,
    maxAttempts: 1,
    credentials: { accessKeyId: 'unused', secretAccessKey: 'unused' },
  });
}

export async function signUpConfirmed(
  corral: TestCorral,
  seed: SeedPool,
  username: string,
  password: string,
  attributes: Record<string, string>,
): Promise<void> {
  const pub = publicClient(corral);
  await pub.send(
    new SignUpCommand({
      ClientId: seed.clientId,
      Username: username,
      Password: password,
      UserAttributes: Object.entries(attributes).map(([Name, Value]) => ({ Name, Value })),
    }),
  );
  if (attributes.email) {
    const code = await latestCode(corral, attributes.email);
    await pub.send(new ConfirmSignUpCommand({ ClientId: seed.clientId, Username: username, ConfirmationCode: code }));
  }
  pub.destroy();
}

export interface Seeded {
  corral: TestCorral;
  seed: SeedPool;
  /** Unsigned SDK client for the public operations. */
  pub: CognitoIdentityProviderClient;
  stop(): Promise<void>;
}

/** A Corral on `backend` with the walkthrough's pool and client, and a public client. */
export async function startSeeded(backend: Backend): Promise<Seeded> {
  const corral = await startTestCorral({ backend });
  const seed = await createWildRydesPool(corral);
  const pub = publicClient(corral);
  return {
    corral,
    seed,
    pub,
    async stop() {
      pub.destroy();
      await corral.stop();
    },
  };
}
