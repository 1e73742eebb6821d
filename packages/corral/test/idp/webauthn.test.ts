// Passkeys over HTTP with the AWS SDK v3 and a software authenticator (test/support/webauthn.ts), on both
// databases: StartWebAuthnRegistration / CompleteWebAuthnRegistration with Cognito's errors, ListWebAuthnCredentials
// (paginated) and DeleteWebAuthnCredential; USER_AUTH WEB_AUTHN (preferred, and chosen in SELECT_CHALLENGE) with
// the assertion's checks (origin, rp id, user verification, signature, challenge, owner); the sign count (a clone
// is refused; compare-and-set under a race); single-use challenges and Sessions; two instances on one database.
import {
  CompleteWebAuthnRegistrationCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolDomainCommand,
  DeleteWebAuthnCredentialCommand,
  GetUserAuthFactorsCommand,
  GetUserCommand,
  InitiateAuthCommand,
  ListWebAuthnCredentialsCommand,
  RespondToAuthChallengeCommand,
  SetUserPoolMfaConfigCommand,
  StartWebAuthnRegistrationCommand,
  type CognitoIdentityProviderClient,
  type InitiateAuthCommandOutput,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachBackend, startTestCorral, type Backend, type TestCorral } from '../support/corral.js';
import { createWildRydesPool, type SeedPool } from '../support/pools.js';
import { race } from '../support/race.js';
import { publicClient, signUpConfirmed } from '../support/users.js';
import { SoftPasskey, type CreationOptions, type RequestOptions } from '../support/webauthn.js';

const PASSWORD = 'Unicorn!Ride42';
const FLOWS = ['ALLOW_USER_AUTH', 'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] as const;
const RP = 'example.com';
const ORIGIN = 'https://app.example.com';
const PASSKEY_POOL = { Policies: { SignInPolicy: { AllowedFirstAuthFactors: ['PASSWORD' as const, 'WEB_AUTHN' as const] } } };

const rejects = (p: Promise<unknown>, name: string, message?: string | RegExp) =>
  expect(p).rejects.toMatchObject({ name, ...(message ? { message: typeof message === 'string' ? message : expect.stringMatching(message) } : {}) });

interface World {
  corral: TestCorral;
  pub: CognitoIdentityProviderClient;
  seed: SeedPool;
}

async function passkeyPool(
  corral: TestCorral,
  webAuthn: { RelyingPartyId?: string; UserVerification?: 'required' | 'preferred' } | null = { RelyingPartyId: RP, UserVerification: 'required' },
  pool = PASSKEY_POOL,
) {
  const seed = await createWildRydesPool(corral, pool, { ExplicitAuthFlows: [...FLOWS] });
  if (webAuthn) await corral.idp.send(new SetUserPoolMfaConfigCommand({ UserPoolId: seed.poolId, MfaConfiguration: 'OFF', WebAuthnConfiguration: webAuthn }));
  return seed;
}

/** A confirmed user and their access token. */
async function rider(w: World, username: string, seed = w.seed): Promise<string> {
  await signUpConfirmed(w.corral, seed, username, PASSWORD, { email: `${username}@example.com` });
  const r = await w.pub.send(
    new InitiateAuthCommand({ ClientId: seed.clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: username, PASSWORD } }),
  );
  return r.AuthenticationResult!.AccessToken!;
}

const start = async (pub: CognitoIdentityProviderClient, AccessToken: string) =>
  (await pub.send(new StartWebAuthnRegistrationCommand({ AccessToken }))).CredentialCreationOptions as unknown as CreationOptions;
const complete = (pub: CognitoIdentityProviderClient, AccessToken: string, Credential: unknown) =>
  pub.send(new CompleteWebAuthnRegistrationCommand({ AccessToken, Credential: Credential as never }));

async function register(pub: CognitoIdentityProviderClient, token: string, key = new SoftPasskey(), origin = ORIGIN): Promise<SoftPasskey> {
  await complete(pub, token, key.register(await start(pub, token), { origin }));
  return key;
}

const userAuth = (pub: CognitoIdentityProviderClient, seed: SeedPool, AuthParameters: Record<string, string>): Promise<InitiateAuthCommandOutput> =>
  pub.send(new InitiateAuthCommand({ ClientId: seed.clientId, AuthFlow: 'USER_AUTH', AuthParameters }));
const answer = (
  pub: CognitoIdentityProviderClient,
  seed: SeedPool,
  Session: string | undefined,
  USERNAME: string,
  credential: unknown,
  ChallengeName = 'WEB_AUTHN',
) =>
  pub.send(
    new RespondToAuthChallengeCommand({
      ClientId: seed.clientId,
      ChallengeName: ChallengeName as 'WEB_AUTHN',
      Session,
      ChallengeResponses: { USERNAME, CREDENTIAL: JSON.stringify(credential) },
    }),
  );

async function passkeyChallenge(pub: CognitoIdentityProviderClient, seed: SeedPool, username: string): Promise<{ session: string; options: RequestOptions }> {
  const step = await userAuth(pub, seed, { USERNAME: username, PREFERRED_CHALLENGE: 'WEB_AUTHN' });
  expect(step.ChallengeName).toBe('WEB_AUTHN');
  return { session: step.Session!, options: JSON.parse(step.ChallengeParameters!.CREDENTIAL_REQUEST_OPTIONS!) as RequestOptions };
}

describeEachBackend('passkeys (WebAuthn) over HTTP', (backend: Backend) => {
  const w = {} as World;
  let token: string;
  beforeAll(async () => {
    w.corral = await startTestCorral({ backend });
    w.pub = publicClient(w.corral);
    w.seed = await passkeyPool(w.corral);
    token = await rider(w, 'pk-rider');
  });
  afterAll(async () => {
    w.pub?.destroy();
    await w.corral?.stop();
  });

  describe('registration', () => {
    it('StartWebAuthnRegistration answers CredentialCreationOptions as Cognito does', async () => {
      const options = await start(w.pub, token);
      expect(options).toMatchObject({
        rp: { id: RP, name: RP },
        user: { name: 'pk-rider', displayName: 'pk-rider' },
        pubKeyCredParams: [
          { type: 'public-key', alg: -7 },
          { type: 'public-key', alg: -257 },
        ],
        timeout: 60000,
        excludeCredentials: [],
        authenticatorSelection: { requireResidentKey: true, residentKey: 'required', userVerification: 'required' },
      });
      expect(options.challenge).toMatch(/^[A-Za-z0-9_-]{32,}$/);
      expect(Buffer.from(options.user.id, 'base64url').toString()).toMatch(/^[0-9a-f-]{36}$/);
    });

    it('CompleteWebAuthnRegistration stores the passkey; it is listed and excluded from the next registration', async () => {
      const key = await register(w.pub, token);
      const { Credentials, NextToken } = await w.pub.send(new ListWebAuthnCredentialsCommand({ AccessToken: token }));
      expect(NextToken).toBeUndefined();
      expect(Credentials).toEqual([
        {
          CredentialId: key.credentialId,
          FriendlyCredentialName: 'Passkey',
          RelyingPartyId: RP,
          AuthenticatorAttachment: 'platform',
          AuthenticatorTransports: ['internal'],
          CreatedAt: expect.any(Date),
        },
      ]);
      expect(Math.abs(Credentials![0]!.CreatedAt!.getTime() - Date.now())).toBeLessThan(60_000);
      const next = await start(w.pub, token);
      expect(next.excludeCredentials).toEqual([{ type: 'public-key', id: key.credentialId, transports: ['internal'] }]);
      // The same passkey again is refused (the browser would have refused it from excludeCredentials).
      await rejects(complete(w.pub, token, key.register(next, { origin: ORIGIN })), 'InvalidParameterException');
      await w.pub.send(new DeleteWebAuthnCredentialCommand({ AccessToken: token, CredentialId: key.credentialId }));
    });

    it('a challenge is single use, expires, and belongs to its user and client', async () => {
      const options = await start(w.pub, token);
      await complete(w.pub, token, new SoftPasskey().register(options, { origin: ORIGIN }));
      await rejects(complete(w.pub, token, new SoftPasskey().register(options, { origin: ORIGIN })), 'WebAuthnChallengeNotFoundException');
      // Not a challenge Corral made.
      await rejects(
        complete(w.pub, token, new SoftPasskey().register({ ...options, challenge: Buffer.from('made up').toString('base64url') }, { origin: ORIGIN })),
        'WebAuthnChallengeNotFoundException',
      );
      // Another rider's challenge.
      const other = await rider(w, 'pk-other');
      const theirs = await start(w.pub, other);
      await rejects(complete(w.pub, token, new SoftPasskey().register(theirs, { origin: ORIGIN })), 'WebAuthnChallengeNotFoundException');
      // Expired (5 minutes).
      const old = await start(w.pub, token);
      const now = w.corral.app.now;
      w.corral.app.now = () => Date.now() + 6 * 60_000;
      try {
        await rejects(complete(w.pub, token, new SoftPasskey().register(old, { origin: ORIGIN })), 'WebAuthnChallengeNotFoundException');
      } finally {
        w.corral.app.now = now;
      }
      // Started with one client's token, completed with another client's.
      const second = await w.corral.idp.send(
        new CreateUserPoolClientCommand({ UserPoolId: w.seed.poolId, ClientName: 'second', ExplicitAuthFlows: [...FLOWS] }),
      );
      const elsewhere = await w.pub.send(
        new InitiateAuthCommand({
          ClientId: second.UserPoolClient!.ClientId!,
          AuthFlow: 'USER_PASSWORD_AUTH',
          AuthParameters: { USERNAME: 'pk-rider', PASSWORD },
        }),
      );
      const mine = await start(w.pub, token);
      await rejects(
        complete(w.pub, elsewhere.AuthenticationResult!.AccessToken!, new SoftPasskey().register(mine, { origin: ORIGIN })),
        'WebAuthnClientMismatchException',
      );
    });

    it('origin, relying party, user verification and algorithm are checked', async () => {
      for (const origin of ['https://evil.com', 'http://app.example.com', 'https://example.com.evil.com', 'https://notexample.com']) {
        await rejects(complete(w.pub, token, new SoftPasskey().register(await start(w.pub, token), { origin })), 'WebAuthnOriginNotAllowedException');
      }
      await rejects(
        complete(w.pub, token, new SoftPasskey().register(await start(w.pub, token), { origin: ORIGIN, rpId: 'evil.com' })),
        'WebAuthnRelyingPartyMismatchException',
      );
      await rejects(
        complete(w.pub, token, new SoftPasskey().register(await start(w.pub, token), { origin: ORIGIN, userVerified: false })),
        'WebAuthnCredentialNotSupportedException',
      );
      await rejects(
        complete(w.pub, token, new SoftPasskey({ alg: -8 }).register(await start(w.pub, token), { origin: ORIGIN })),
        'WebAuthnCredentialNotSupportedException',
      );
      await rejects(complete(w.pub, token, { id: 'x' }), 'InvalidParameterException');
      await rejects(complete(w.pub, token, 'not json'), 'InvalidParameterException');
      await rejects(
        complete(w.pub, token, new SoftPasskey().register(await start(w.pub, token), { origin: ORIGIN, type: 'webauthn.get' })),
        'InvalidParameterException',
      );
      // The exact origin of the relying party itself is fine.
      await register(w.pub, token, new SoftPasskey(), `https://${RP}`);
    });

    it('a pool that does not allow WEB_AUTHN: WebAuthnNotEnabledException; no relying party and no domain: WebAuthnConfigurationMissingException', async () => {
      const off = await passkeyPool(w.corral, { RelyingPartyId: RP }, { Policies: { SignInPolicy: { AllowedFirstAuthFactors: ['PASSWORD'] } } });
      const offToken = await rider(w, 'pk-off', off);
      await rejects(start(w.pub, offToken), 'WebAuthnNotEnabledException');
      await rejects(complete(w.pub, offToken, new SoftPasskey().register(await start(w.pub, token), { origin: ORIGIN })), 'WebAuthnNotEnabledException');

      const bare = await passkeyPool(w.corral, null);
      const bareToken = await rider(w, 'pk-bare', bare);
      await rejects(start(w.pub, bareToken), 'WebAuthnConfigurationMissingException');
      // With a domain, the relying party is the host Corral serves the domain at (Cognito's default: the domain).
      await w.corral.idp.send(new CreateUserPoolDomainCommand({ UserPoolId: bare.poolId, Domain: `pk-${backend}-${Date.now()}` }));
      expect((await start(w.pub, bareToken)).rp.id).toBe(new URL(w.corral.app.config.publicUrl).hostname);
    });
  });

  describe('listing and deleting', () => {
    it('ListWebAuthnCredentials pages with MaxResults (at most 20) and NextToken; DeleteWebAuthnCredential removes only one of the caller', async () => {
      const t = await rider(w, 'pk-many');
      const keys = [await register(w.pub, t), await register(w.pub, t), await register(w.pub, t)];
      const first = await w.pub.send(new ListWebAuthnCredentialsCommand({ AccessToken: t, MaxResults: 2 }));
      expect(first.Credentials).toHaveLength(2);
      expect(first.NextToken).toBeDefined();
      const rest = await w.pub.send(new ListWebAuthnCredentialsCommand({ AccessToken: t, MaxResults: 2, NextToken: first.NextToken }));
      expect(rest.Credentials).toHaveLength(1);
      expect(rest.NextToken).toBeUndefined();
      const ids = [...first.Credentials!, ...rest.Credentials!].map((c) => c.CredentialId);
      expect(ids.sort()).toEqual(keys.map((k) => k.credentialId).sort());
      await rejects(w.pub.send(new ListWebAuthnCredentialsCommand({ AccessToken: t, MaxResults: 21 })), 'InvalidParameterException');
      await rejects(w.pub.send(new ListWebAuthnCredentialsCommand({ AccessToken: t, NextToken: 'nonsense' })), 'InvalidParameterException');

      // Someone else cannot delete them; the owner can, once.
      await rejects(w.pub.send(new DeleteWebAuthnCredentialCommand({ AccessToken: token, CredentialId: keys[0]!.credentialId })), 'ResourceNotFoundException');
      await w.pub.send(new DeleteWebAuthnCredentialCommand({ AccessToken: t, CredentialId: keys[0]!.credentialId }));
      await rejects(w.pub.send(new DeleteWebAuthnCredentialCommand({ AccessToken: t, CredentialId: keys[0]!.credentialId })), 'ResourceNotFoundException');
      const left = await w.pub.send(new ListWebAuthnCredentialsCommand({ AccessToken: t }));
      expect(left.Credentials!.map((c) => c.CredentialId).sort()).toEqual([keys[1]!.credentialId, keys[2]!.credentialId].sort());
      await rejects(w.pub.send(new ListWebAuthnCredentialsCommand({ AccessToken: 'not-a-token' })), 'NotAuthorizedException');
    });
  });

  describe('signing in with a passkey (USER_AUTH WEB_AUTHN)', () => {
    let key: SoftPasskey;
    beforeAll(async () => {
      const t = await rider(w, 'pk-signin');
      key = await register(w.pub, t);
    });

    it('PREFERRED_CHALLENGE WEB_AUTHN: CREDENTIAL_REQUEST_OPTIONS, then CREDENTIAL signs in; the Session is single use', async () => {
      const { session, options } = await passkeyChallenge(w.pub, w.seed, 'pk-signin');
      expect(options).toMatchObject({
        rpId: RP,
        userVerification: 'required',
        timeout: expect.any(Number),
        allowCredentials: [{ type: 'public-key', id: key.credentialId, transports: ['internal'] }],
      });
      const assertion = key.assert(options, { origin: ORIGIN });
      const done = await answer(w.pub, w.seed, session, 'pk-signin', assertion);
      expect(done.AuthenticationResult?.AccessToken).toBeDefined();
      const me = await w.pub.send(new GetUserCommand({ AccessToken: done.AuthenticationResult!.AccessToken! }));
      expect(me.Username).toBe('pk-signin');
      await rejects(answer(w.pub, w.seed, session, 'pk-signin', assertion), 'NotAuthorizedException');
      const factors = await w.pub.send(new GetUserAuthFactorsCommand({ AccessToken: done.AuthenticationResult!.AccessToken! }));
      expect(factors.ConfiguredUserAuthFactors).toEqual(['PASSWORD', 'WEB_AUTHN']);
    });

    it('SELECT_CHALLENGE offers WEB_AUTHN to a user with a passkey (not to one without) and ANSWER WEB_AUTHN gives the challenge', async () => {
      const select = await userAuth(w.pub, w.seed, { USERNAME: 'pk-signin' });
      expect(select.ChallengeName).toBe('SELECT_CHALLENGE');
      expect(select.AvailableChallenges).toEqual(['PASSWORD', 'PASSWORD_SRP', 'WEB_AUTHN']);
      const chosen = await w.pub.send(
        new RespondToAuthChallengeCommand({
          ClientId: w.seed.clientId,
          ChallengeName: 'SELECT_CHALLENGE',
          Session: select.Session,
          ChallengeResponses: { USERNAME: 'pk-signin', ANSWER: 'WEB_AUTHN' },
        }),
      );
      expect(chosen.ChallengeName).toBe('WEB_AUTHN');
      const options = JSON.parse(chosen.ChallengeParameters!.CREDENTIAL_REQUEST_OPTIONS!) as RequestOptions;
      const done = await answer(w.pub, w.seed, chosen.Session, 'pk-signin', key.assert(options, { origin: ORIGIN }));
      expect(done.AuthenticationResult?.IdToken).toBeDefined();

      await rider(w, 'pk-nokey');
      const none = await userAuth(w.pub, w.seed, { USERNAME: 'pk-nokey' });
      expect(none.AvailableChallenges).toEqual(['PASSWORD', 'PASSWORD_SRP']);
      const preferred = await userAuth(w.pub, w.seed, { USERNAME: 'pk-nokey', PREFERRED_CHALLENGE: 'WEB_AUTHN' });
      expect(preferred.ChallengeName).toBe('SELECT_CHALLENGE');
      await rejects(
        w.pub.send(
          new RespondToAuthChallengeCommand({
            ClientId: w.seed.clientId,
            ChallengeName: 'SELECT_CHALLENGE',
            Session: preferred.Session,
            ChallengeResponses: { USERNAME: 'pk-nokey', ANSWER: 'WEB_AUTHN' },
          }),
        ),
        'InvalidParameterException',
      );
    });

    it('the assertion is checked: origin, rp id, challenge, user verification, signature, owner', async () => {
      const bad: Array<[string, (o: RequestOptions) => unknown]> = [
        ['origin', (o) => key.assert(o, { origin: 'https://evil.com' })],
        ['rp id', (o) => key.assert(o, { origin: ORIGIN, rpId: 'evil.com' })],
        ['challenge', (o) => key.assert(o, { origin: ORIGIN, challenge: Buffer.from('another').toString('base64url') })],
        ['user verification', (o) => key.assert(o, { origin: ORIGIN, userVerified: false })],
        ['ceremony type', (o) => key.assert(o, { origin: ORIGIN, type: 'webauthn.create' })],
        [
          'signature',
          (o) => {
            const a = key.assert(o, { origin: ORIGIN }) as { response: { signature: string } };
            const sig = Buffer.from(a.response.signature, 'base64url');
            sig[sig.length - 1] ^= 1;
            return { ...a, response: { ...a.response, signature: sig.toString('base64url') } };
          },
        ],
        // Another key under this credential's id.
        ['key', (o) => Object.assign(new SoftPasskey({ id: key.id, signCount: key.signCount }), { userHandle: key.userHandle }).assert(o, { origin: ORIGIN })],
      ];
      for (const [what, make] of bad) {
        const { session, options } = await passkeyChallenge(w.pub, w.seed, 'pk-signin');
        await expect(answer(w.pub, w.seed, session, 'pk-signin', make(options)), what).rejects.toMatchObject({
          name: what === 'ceremony type' ? 'InvalidParameterException' : 'NotAuthorizedException',
        });
      }
      // Another rider's passkey for this rider's challenge.
      const t = await rider(w, 'pk-thief');
      const theirs = await register(w.pub, t);
      const { session, options } = await passkeyChallenge(w.pub, w.seed, 'pk-signin');
      await rejects(answer(w.pub, w.seed, session, 'pk-signin', theirs.assert(options, { origin: ORIGIN })), 'NotAuthorizedException');
      await rejects(
        w.pub.send(
          new RespondToAuthChallengeCommand({
            ClientId: w.seed.clientId,
            ChallengeName: 'WEB_AUTHN',
            Session: session,
            ChallengeResponses: { USERNAME: 'pk-signin' },
          }),
        ),
        'InvalidParameterException',
      );
      // The real passkey still works afterwards.
      const ok = await passkeyChallenge(w.pub, w.seed, 'pk-signin');
      expect((await answer(w.pub, w.seed, ok.session, 'pk-signin', key.assert(ok.options, { origin: ORIGIN }))).AuthenticationResult).toBeDefined();
    });

    it('a sign count that does not grow is a cloned authenticator and is refused; the stored count follows the real one', async () => {
      const clone = key.clone(key.signCount - 1); // asserts with the real key's current count: not greater than stored
      const { session, options } = await passkeyChallenge(w.pub, w.seed, 'pk-signin');
      await rejects(answer(w.pub, w.seed, session, 'pk-signin', clone.assert(options, { origin: ORIGIN })), 'NotAuthorizedException');
      const lower = key.clone(0);
      const again = await passkeyChallenge(w.pub, w.seed, 'pk-signin');
      await rejects(answer(w.pub, w.seed, again.session, 'pk-signin', lower.assert(again.options, { origin: ORIGIN })), 'NotAuthorizedException');
      // The real authenticator, one ahead, is accepted; then the count it used is spent too.
      const real = await passkeyChallenge(w.pub, w.seed, 'pk-signin');
      expect((await answer(w.pub, w.seed, real.session, 'pk-signin', key.assert(real.options, { origin: ORIGIN }))).AuthenticationResult).toBeDefined();
      const replay = await passkeyChallenge(w.pub, w.seed, 'pk-signin');
      await rejects(answer(w.pub, w.seed, replay.session, 'pk-signin', key.assert(replay.options, { origin: ORIGIN, bump: false })), 'NotAuthorizedException');
    });

    it('an authenticator without a counter (always 0) signs in again and again, but each Session answers once', async () => {
      const t = await rider(w, 'pk-nocount');
      const zero = await register(w.pub, t);
      for (let i = 0; i < 2; i++) {
        const { session, options } = await passkeyChallenge(w.pub, w.seed, 'pk-nocount');
        const assertion = zero.assert(options, { origin: ORIGIN, bump: false });
        const done = await answer(w.pub, w.seed, session, 'pk-nocount', assertion);
        expect(done.AuthenticationResult).toBeDefined();
        // Replayed: the sign count cannot tell (both 0); the spent Session does.
        await rejects(answer(w.pub, w.seed, session, 'pk-nocount', assertion), 'NotAuthorizedException', 'Invalid session for the user.');
      }
      const { session, options } = await passkeyChallenge(w.pub, w.seed, 'pk-nocount');
      const assertion = zero.assert(options, { origin: ORIGIN, bump: false });
      const burst = await race(Array.from({ length: 50 }, () => () => answer(w.pub, w.seed, session, 'pk-nocount', assertion)));
      expect(burst.count('ok'), JSON.stringify(burst.tally)).toBe(1);
    });

    it('50 racing answers with one Session and assertion: exactly one signs in', async () => {
      const { session, options } = await passkeyChallenge(w.pub, w.seed, 'pk-signin');
      const assertion = key.assert(options, { origin: ORIGIN });
      const burst = await race(Array.from({ length: 50 }, () => () => answer(w.pub, w.seed, session, 'pk-signin', assertion)));
      expect(burst.count('ok'), JSON.stringify(burst.tally)).toBe(1);
    });

    it('50 racing sign-ins, each with its own Session, all from clones with one sign count: at most one is accepted (compare-and-set)', async () => {
      const steps = await Promise.all(Array.from({ length: 50 }, () => passkeyChallenge(w.pub, w.seed, 'pk-signin')));
      const count = key.signCount + 1;
      const assertions = steps.map(({ options }) => key.clone(count - 1).assert(options, { origin: ORIGIN }));
      const burst = await race(
        steps.map(
          ({ session }, i) =>
            () =>
              answer(w.pub, w.seed, session, 'pk-signin', assertions[i]),
        ),
      );
      expect(burst.count('ok'), JSON.stringify(burst.tally)).toBe(1);
      key.signCount = count;
    });
  });
});

describeEachBackend('passkeys on two instances, one database', (backend) => {
  let a: TestCorral;
  let b: TestCorral;
  let pa: CognitoIdentityProviderClient;
  let pb: CognitoIdentityProviderClient;
  let seed: SeedPool;
  beforeAll(async () => {
    a = await startTestCorral({ backend });
    b = await startTestCorral({ backend, dataDir: a.dataDir, schema: a.schema, config: { publicUrl: a.url } });
    pa = publicClient(a);
    pb = publicClient(b);
    seed = await passkeyPool(a);
  });
  afterAll(async () => {
    pa?.destroy();
    pb?.destroy();
    await b?.stop();
    await a?.stop();
  });

  it('a registration started on one completes on the other; a sign-in too; racing answers across both: one wins', async () => {
    const w = { corral: a, pub: pa, seed };
    const token = await rider(w, 'pk-twin');
    const key = new SoftPasskey();
    const options = await start(pa, token);
    await complete(pb, token, key.register(options, { origin: ORIGIN }));
    await rejects(complete(pa, token, new SoftPasskey().register(options, { origin: ORIGIN })), 'WebAuthnChallengeNotFoundException');
    expect((await pa.send(new ListWebAuthnCredentialsCommand({ AccessToken: token }))).Credentials).toHaveLength(1);

    const step = await passkeyChallenge(pb, seed, 'pk-twin');
    const done = await answer(pa, seed, step.session, 'pk-twin', key.assert(step.options, { origin: ORIGIN }));
    expect(done.AuthenticationResult?.AccessToken).toBeDefined();

    const steps = await Promise.all(Array.from({ length: 20 }, (_, i) => passkeyChallenge(i % 2 ? pa : pb, seed, 'pk-twin')));
    const base = key.signCount;
    const burst = await race(
      steps.map(({ session, options }, i) => {
        const assertion = key.clone(base).assert(options, { origin: ORIGIN });
        return () => answer(i % 2 ? pb : pa, seed, session, 'pk-twin', assertion);
      }),
    );
    expect(burst.count('ok'), JSON.stringify(burst.tally)).toBe(1);
  });
});
