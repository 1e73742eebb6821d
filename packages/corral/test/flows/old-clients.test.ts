// The old clients the original Wild Rydes site and many apps still ship, against Corral over HTTP in Node:
//   - aws-amplify v5 (installed as `aws-amplify-v5`): `Auth.configure({ endpoint })` points the user-pool calls at
//     Corral; the walkthrough's Auth.signUp → confirmSignUp → signIn (SRP) → currentSession, then a refresh.
//     Amplify < 6 has no identity-pool endpoint setting (its Credentials always call
//     cognito-identity.<region>.amazonaws.com), so the identity-pool step uses the AWS SDK's CognitoIdentityClient
//     with `endpoint`, fed the ID token Amplify holds — what the README tells old apps to do.
//   - amazon-cognito-identity-js 3.x (installed as `amazon-cognito-identity-js-v3`): the pool's `endpoint`.
import { CognitoIdentityClient, GetCredentialsForIdentityCommand, GetIdCommand, SetIdentityPoolRolesCommand } from '@aws-sdk/client-cognito-identity';
import type * as CognitoIdentityJs from 'amazon-cognito-identity-js';
import type { CognitoUserAttribute as UserAttribute, CognitoUserSession } from 'amazon-cognito-identity-js';
// @ts-expect-error 3.x declares its types as the ambient module 'amazon-cognito-identity-js' (the same API as 6.x's)
import * as cognitoIdentityJs3 from 'amazon-cognito-identity-js-v3';
import { Auth } from 'aws-amplify-v5';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyTemporaryCredentials } from '../../src/identity/credentials.js';
import { startTestCorral, type TestCorral } from '../support/corral.js';
import { AUTH_ROLE, UNAUTH_ROLE, createIdentityPoolFor, providerName } from '../support/identity.js';
import { createWildRydesPool, latestCode, type SeedPool } from '../support/pools.js';

const PASSWORD = 'Unicorn!Ride42';
const { AuthenticationDetails, CognitoUser, CognitoUserAttribute, CognitoUserPool } = cognitoIdentityJs3 as typeof CognitoIdentityJs;

describe('old clients (Node)', () => {
  let corral: TestCorral;
  let seed: SeedPool;
  beforeAll(async () => {
    corral = await startTestCorral();
    seed = await createWildRydesPool(corral);
  });
  afterAll(() => corral.stop());

  it('runs the old versions', () => {
    const require = createRequire(import.meta.url);
    expect((require('aws-amplify-v5/package.json') as { version: string }).version).toMatch(/^5\./);
    expect((require(require.resolve('@aws-amplify/auth/package.json', { paths: [require.resolve('aws-amplify-v5')] })) as { version: string }).version).toMatch(
      /^5\./,
    );
    expect((require('amazon-cognito-identity-js-v3/package.json') as { version: string }).version).toMatch(/^3\./);
  });

  it('aws-amplify v5: Auth.signUp → confirmSignUp → signIn (SRP) → currentSession → refresh; identity pool through the SDK', async () => {
    Auth.configure({ region: 'us-east-1', userPoolId: seed.poolId, userPoolWebClientId: seed.clientId, endpoint: corral.url });
    const email = 'amplify5.rider@example.com';
    const username = email.replace(/[@.]/g, '|'); // the walkthrough's username transform
    const up = await Auth.signUp({ username, password: PASSWORD, attributes: { email } });
    expect(up.userConfirmed).toBe(false);
    expect(up.userSub).toMatch(/^[0-9a-f-]{36}$/);
    expect(up.codeDeliveryDetails).toMatchObject({ AttributeName: 'email', DeliveryMedium: 'EMAIL' });
    expect(await Auth.confirmSignUp(username, await latestCode(corral, email))).toBe('SUCCESS');

    const user = await Auth.signIn(username, PASSWORD);
    expect(user.getUsername()).toBe(username);
    const session = await Auth.currentSession();
    expect(session.isValid()).toBe(true);
    const idToken = session.getIdToken();
    expect(idToken.decodePayload()).toMatchObject({ 'cognito:username': username, email, email_verified: true });
    expect(session.getAccessToken().decodePayload()).toMatchObject({ token_use: 'access', client_id: seed.clientId, username });
    expect((await Auth.currentAuthenticatedUser()).getUsername()).toBe(username);
    expect(await Auth.currentUserInfo()).toMatchObject({ username, attributes: { email, email_verified: true } });

    const refreshed = await new Promise<CognitoUserSession>((resolve, reject) =>
      user.refreshSession(session.getRefreshToken(), (err: unknown, s: CognitoUserSession) => (err ? reject(err) : resolve(s))),
    );
    expect(refreshed.getIdToken().decodePayload().origin_jti).toBe(idToken.decodePayload().origin_jti);

    // Identity pool: what works with Amplify < 6 — the SDK's client with an endpoint, given Amplify's ID token.
    const identityPoolId = await createIdentityPoolFor(corral, seed, {});
    await corral.identity.send(
      new SetIdentityPoolRolesCommand({ IdentityPoolId: identityPoolId, Roles: { authenticated: AUTH_ROLE, unauthenticated: UNAUTH_ROLE } }),
    );
    const identity = new CognitoIdentityClient({
      region: 'us-east-1',
      endpoint: corral.url,
      credentials: { accessKeyId: 'unused', secretAccessKey: 'unused' },
    });
    const Logins = { [providerName(seed.poolId)]: (await Auth.currentSession()).getIdToken().getJwtToken() };
    const { IdentityId } = await identity.send(new GetIdCommand({ IdentityPoolId: identityPoolId, Logins }));
    const { Credentials } = await identity.send(new GetCredentialsForIdentityCommand({ IdentityId, Logins }));
    expect(verifyTemporaryCredentials(corral.app, Credentials!.AccessKeyId!, Credentials!.SessionToken!)?.roleArn).toBe(AUTH_ROLE);

    await Auth.signOut({ global: true });
    await expect(Auth.currentSession()).rejects.toBeDefined();
    await expect(Auth.signIn(username, 'Wrong!Ride7')).rejects.toMatchObject({ code: 'NotAuthorizedException', message: 'Incorrect username or password.' });
  });

  it('aws-amplify v5: updateUserAttributes in a pool that keeps the old email until the new one is verified; forgotPassword', async () => {
    const strict = await createWildRydesPool(corral, { UserAttributeUpdateSettings: { AttributesRequireVerificationBeforeUpdate: ['email'] } });
    Auth.configure({ region: 'us-east-1', userPoolId: strict.poolId, userPoolWebClientId: strict.clientId, endpoint: corral.url });
    await Auth.signUp({ username: 'mover', password: PASSWORD, attributes: { email: 'mover.old@example.com' } });
    await Auth.confirmSignUp('mover', await latestCode(corral, 'mover.old@example.com'));
    const user = await Auth.signIn('mover', PASSWORD);
    expect(await Auth.updateUserAttributes(user, { email: 'mover.new@example.com' })).toBe('SUCCESS');
    const code = await latestCode(corral, 'mover.new@example.com');
    expect(await Auth.currentUserInfo()).toMatchObject({ attributes: { email: 'mover.old@example.com', email_verified: true } });
    await Auth.signOut();
    expect((await Auth.signIn('mover.old@example.com', PASSWORD)).getUsername()).toBe('mover');
    expect(await Auth.verifyCurrentUserAttributeSubmit('email', code)).toBe('SUCCESS');
    expect(await Auth.currentUserInfo()).toMatchObject({ attributes: { email: 'mover.new@example.com', email_verified: true } });
    await Auth.signOut();

    const sent = await Auth.forgotPassword('mover');
    expect(sent.CodeDeliveryDetails).toMatchObject({ AttributeName: 'email', DeliveryMedium: 'EMAIL' });
    expect(await Auth.forgotPasswordSubmit('mover', await latestCode(corral, 'mover.new@example.com'), 'Changed!Ride7')).toBe('SUCCESS');
    expect((await Auth.signIn('mover.new@example.com', 'Changed!Ride7')).getUsername()).toBe('mover');
    await Auth.signOut();
  });

  it('amazon-cognito-identity-js 3.x: signUp → confirmRegistration → SRP sign-in → getSession → refresh → attributes', async () => {
    // 3.x names a remembered device after navigator.userAgent, which a browser has and Node 20 has not.
    if (!('navigator' in globalThis)) Object.defineProperty(globalThis, 'navigator', { value: { userAgent: 'Node.js' }, configurable: true });
    const pool = new CognitoUserPool({ UserPoolId: seed.poolId, ClientId: seed.clientId, endpoint: corral.url });
    const email = 'cij3.rider@example.com';
    await new Promise((resolve, reject) =>
      pool.signUp('cij3rider', PASSWORD, [new CognitoUserAttribute({ Name: 'email', Value: email })], [], (err, r) => (err ? reject(err) : resolve(r))),
    );
    const rider = new CognitoUser({ Username: 'cij3rider', Pool: pool });
    const code = await latestCode(corral, email);
    await new Promise((resolve, reject) => rider.confirmRegistration(code, true, (err, r) => (err ? reject(err) : resolve(r))));
    const session = await new Promise<CognitoUserSession>((resolve, reject) =>
      rider.authenticateUser(new AuthenticationDetails({ Username: 'cij3rider', Password: PASSWORD }), { onSuccess: resolve, onFailure: reject }),
    );
    expect(session.isValid()).toBe(true);
    expect(session.getIdToken().decodePayload()).toMatchObject({ 'cognito:username': 'cij3rider', email });
    const cached = await new Promise<CognitoUserSession>((resolve, reject) =>
      rider.getSession((err: Error | null, s: CognitoUserSession) => (err ? reject(err) : resolve(s))),
    );
    expect(cached.getAccessToken().getJwtToken()).toBe(session.getAccessToken().getJwtToken());
    const refreshed = await new Promise<CognitoUserSession>((resolve, reject) =>
      rider.refreshSession(session.getRefreshToken(), (err: unknown, s: CognitoUserSession) => (err ? reject(err) : resolve(s))),
    );
    expect(refreshed.getAccessToken().decodePayload().origin_jti).toBe(session.getAccessToken().decodePayload().origin_jti);
    const attrs = await new Promise<UserAttribute[]>((resolve, reject) => rider.getUserAttributes((err, a) => (err ? reject(err) : resolve(a!))));
    expect(Object.fromEntries(attrs.map((a) => [a.getName(), a.getValue()]))).toMatchObject({ email, email_verified: 'true' });
    await expect(
      new Promise((resolve, reject) =>
        new CognitoUser({ Username: 'cij3rider', Pool: pool }).authenticateUser(new AuthenticationDetails({ Username: 'cij3rider', Password: 'Wrong!Ride7' }), {
          onSuccess: resolve,
          onFailure: reject,
        }),
      ),
    ).rejects.toMatchObject({ code: 'NotAuthorizedException', message: 'Incorrect username or password.' });
  });
});
