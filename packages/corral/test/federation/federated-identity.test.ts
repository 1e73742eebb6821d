// Whose user a federated sign-in reaches, and who may write `identities`, over real HTTP against a provider the test
// controls (fake-op.ts):
//   - the user `<ProviderName>_<subject>` is reused only when a sign-in of that identity made it (recorded
//     server-side): a native user registered under that name (public SignUp) does not capture the identity's sign-in,
//     and `_` does not let provider `A` + subject `B_x` and provider `A_B` + subject `x` reach each other's user;
//   - `identities` is the server's: SignUp, UpdateUserAttributes, AdminUpdateUserAttributes and an app client's
//     WriteAttributes refuse it.
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeJwt } from 'jose';
import {
  AdminConfirmSignUpCommand,
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminUpdateUserAttributesCommand,
  CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  InitiateAuthCommand,
  SignUpCommand,
  UpdateUserAttributesCommand,
  UpdateUserPoolClientCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { startTestCorral, type TestCorral } from '../support/corral.js';
import { fail } from '../support/rejection.js';
import { fakeProviderPool, startFakeOp, type FakeOp } from './fake-op.js';
import { findClient, findPool } from '../../src/domain/pools.js';
import { federatedSignIn, FederationError } from '../../src/domain/federation/sign-in.js';
import type { IdentityProvider } from '../../src/domain/federation/providers.js';

const PASSWORD = 'Attacker-Passw0rd!';
const FORGED = JSON.stringify([{ userId: 'ceo', providerName: 'CorpSAML', providerType: 'SAML', issuer: 'urn:corp', primary: true, dateCreated: 1 }]);

describe('federated users and the identities attribute', () => {
  let corral: TestCorral;
  let fake: FakeOp;
  let appServer: Server;
  let callback: string;
  let pub: CognitoIdentityProviderClient;
  let poolId: string;
  let clientId: string;
  let base: string;

  beforeAll(async () => {
    appServer = createServer((_req, res) => res.writeHead(200).end('app'));
    await new Promise<void>((r) => appServer.listen(0, '127.0.0.1', r));
    callback = `http://127.0.0.1:${(appServer.address() as AddressInfo).port}/callback`;
    corral = await startTestCorral();
    fake = await startFakeOp();
    pub = new CognitoIdentityProviderClient({ endpoint: corral.url, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
    const { idp } = corral;
    let prefix: string;
    ({ poolId, clientId, prefix } = await fakeProviderPool(idp, fake, 'fedid', callback, {
      SupportedIdentityProviders: ['Fake', 'COGNITO'],
      ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    }));
    base = `${corral.url}/_domains/${prefix}`;
  });
  afterAll(async () => {
    pub?.destroy();
    await corral?.stop();
    await fake?.close();
    await new Promise((r) => appServer?.close(r));
  });

  /** A federated sign-in of `sub` with the provider Fake: where the browser lands at the app. */
  async function signIn(sub: string, email: string): Promise<URL> {
    const verifier = randomBytes(48).toString('base64url');
    const q = new URLSearchParams({
      response_type: 'code',
      client_id: clientId,
      redirect_uri: callback,
      scope: 'openid email',
      state: 'st',
      identity_provider: 'Fake',
      code_challenge: createHash('sha256').update(verifier).digest('base64url'),
      code_challenge_method: 'S256',
    });
    const res = await fetch(`${base}/oauth2/authorize?${q}`, { redirect: 'manual' });
    const loc = new URL(res.headers.get('location')!);
    fake.next = { fault: 'none', nonce: loc.searchParams.get('nonce') ?? undefined, sub, email };
    const cb = await fetch(`${base}/oauth2/idpresponse?${new URLSearchParams({ code: 'c1', state: loc.searchParams.get('state')! })}`, {
      redirect: 'manual',
      headers: { cookie: res.headers.get('set-cookie')!.split(';')[0]! },
    });
    expect(cb.status).toBe(302);
    return new URL(cb.headers.get('location')!);
  }

  const password = (username: string) =>
    pub.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: username, PASSWORD: PASSWORD } }));

  it('a native user registered as <ProviderName>_<subject> does not capture that identity’s sign-in', async () => {
    await pub.send(new SignUpCommand({ ClientId: clientId, Username: 'Fake_victim-sub', Password: PASSWORD }));
    await corral.idp.send(new AdminConfirmSignUpCommand({ UserPoolId: poolId, Username: 'Fake_victim-sub' }));
    const landed = await signIn('victim-sub', 'victim@example.com');
    expect(`${landed.origin}${landed.pathname}`).toBe(callback);
    expect(landed.searchParams.get('code')).toBeNull();
    expect(landed.searchParams.get('error')).toBe('invalid_request');
    expect(landed.searchParams.get('error_description')).toBe('Already found an entry for username Fake_victim-sub');
    expect(landed.searchParams.get('state')).toBe('st');
    // The native user is untouched: no victim email, no identities.
    const u = await corral.idp.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'Fake_victim-sub' }));
    expect(u.UserStatus).toBe('CONFIRMED');
    expect(u.UserAttributes?.find((a) => a.Name === 'email')).toBeUndefined();
    expect(u.UserAttributes?.find((a) => a.Name === 'identities')).toBeUndefined();
    const id = decodeJwt((await password('Fake_victim-sub')).AuthenticationResult!.IdToken!);
    expect(id.email).toBeUndefined();
    expect(id.identities).toBeUndefined();
  });

  it('an admin-created user with the name does not capture it either; the identity’s own user keeps signing in', async () => {
    await corral.idp.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'Fake_admin-made', MessageAction: 'SUPPRESS' }));
    const refused = await signIn('admin-made', 'a@example.com');
    expect(refused.searchParams.get('error_description')).toBe('Already found an entry for username Fake_admin-made');
    // A fresh identity makes its user, and signs in as it again.
    const first = await signIn('fresh-sub', 'fresh@example.com');
    expect(first.searchParams.get('code')).toBeTruthy();
    const again = await signIn('fresh-sub', 'fresh2@example.com');
    expect(again.searchParams.get('code')).toBeTruthy();
    const u = await corral.idp.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'Fake_fresh-sub' }));
    expect(u.UserStatus).toBe('EXTERNAL_PROVIDER');
    expect(u.UserAttributes?.find((a) => a.Name === 'email')?.Value).toBe('fresh2@example.com');
  });

  it('provider `A` + subject `B_x` and provider `A_B` + subject `x` (one username) do not reach each other’s user', async () => {
    // Provider names with `_` past their second character are refused by CreateIdentityProvider's pattern, so the
    // two providers are given to federatedSignIn directly: the check must not rest on that pattern alone.
    const app = corral.app;
    const pool = (await findPool(app, poolId))!;
    const client = (await findClient(app, clientId))!;
    const provider = (name: string): IdentityProvider => ({
      poolId,
      name,
      type: 'OIDC',
      details: {},
      attributeMapping: { email: 'email' },
      idpIdentifiers: [],
      createdAt: 0,
      modifiedAt: 0,
    });
    const first = await federatedSignIn(app, pool, client, provider('A'), 'B_x', { email: 'a@example.com' });
    expect(first.username).toBe('A_B_x');
    const other = await federatedSignIn(app, pool, client, provider('A_B'), 'x', { email: 'evil@example.com' }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(other).toBeInstanceOf(FederationError);
    expect((other as FederationError).description).toBe('Already found an entry for username A_B_x');
    const again = await federatedSignIn(app, pool, client, provider('A'), 'B_x', { email: 'a2@example.com' });
    expect(again.sub).toBe(first.sub);
    expect(again.attributes.email).toBe('a2@example.com');
  });

  it('identities is the server’s: SignUp, UpdateUserAttributes, AdminUpdateUserAttributes and WriteAttributes refuse it', async () => {
    const refusedWith = async (p: Promise<unknown>) => {
      const e = await fail(p);
      return `${e.name}: ${e.message}`;
    };
    const message = 'InvalidParameterException: Attributes did not conform to the schema: identities: Attribute cannot be updated.';
    expect(
      await refusedWith(
        pub.send(new SignUpCommand({ ClientId: clientId, Username: 'forger', Password: PASSWORD, UserAttributes: [{ Name: 'identities', Value: FORGED }] })),
      ),
    ).toBe(message);
    await pub.send(new SignUpCommand({ ClientId: clientId, Username: 'native', Password: PASSWORD }));
    await corral.idp.send(new AdminConfirmSignUpCommand({ UserPoolId: poolId, Username: 'native' }));
    const tokens = (await password('native')).AuthenticationResult!;
    expect(
      await refusedWith(
        pub.send(new UpdateUserAttributesCommand({ AccessToken: tokens.AccessToken!, UserAttributes: [{ Name: 'identities', Value: FORGED }] })),
      ),
    ).toBe(message);
    expect(
      await refusedWith(
        corral.idp.send(
          new AdminUpdateUserAttributesCommand({ UserPoolId: poolId, Username: 'native', UserAttributes: [{ Name: 'identities', Value: FORGED }] }),
        ),
      ),
    ).toBe(message);
    expect(decodeJwt((await password('native')).AuthenticationResult!.IdToken!).identities).toBeUndefined();
    expect(
      await refusedWith(corral.idp.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'w', WriteAttributes: ['email', 'identities'] }))),
    ).toBe('InvalidParameterException: Invalid write attributes specified while creating a client');
    expect(
      await refusedWith(corral.idp.send(new UpdateUserPoolClientCommand({ UserPoolId: poolId, ClientId: clientId, WriteAttributes: ['identities'] }))),
    ).toBe('InvalidParameterException: Invalid write attributes specified while updating a client');
  });
});
