// amazon-cognito-identity-js against Corral over HTTP: the classic browser library's whole path, SRP included.
import {
  AuthenticationDetails,
  CognitoUser,
  CognitoUserAttribute,
  CognitoUserPool,
  type CognitoUserSession,
  type ISignUpResult,
} from 'amazon-cognito-identity-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCorral, type TestCorral } from '../support/corral.js';
import { createWildRydesPool, latestCode, type SeedPool } from '../support/pools.js';

const PASSWORD = 'Unicorn!Ride42';

describe('amazon-cognito-identity-js', () => {
  let corral: TestCorral;
  let seed: SeedPool;
  let pool: CognitoUserPool;
  beforeAll(async () => {
    corral = await startTestCorral();
    seed = await createWildRydesPool(corral);
    pool = new CognitoUserPool({ UserPoolId: seed.poolId, ClientId: seed.clientId, endpoint: corral.url });
  });
  afterAll(() => corral.stop());

  const user = (Username: string) => new CognitoUser({ Username, Pool: pool });
  const signUp = (username: string, email: string) =>
    new Promise<ISignUpResult>((resolve, reject) =>
      pool.signUp(
        username,
        PASSWORD,
        [new CognitoUserAttribute({ Name: 'email', Value: email }), new CognitoUserAttribute({ Name: 'custom:genre', Value: 'Jazz' })],
        [],
        (err, result) => (err ? reject(err) : resolve(result!)),
      ),
    );
  const confirm = (u: CognitoUser, code: string) =>
    new Promise<unknown>((resolve, reject) => u.confirmRegistration(code, true, (err, r) => (err ? reject(err) : resolve(r))));
  const authenticate = (u: CognitoUser, Username: string, Password: string) =>
    new Promise<CognitoUserSession>((resolve, reject) =>
      u.authenticateUser(new AuthenticationDetails({ Username, Password }), { onSuccess: resolve, onFailure: reject }),
    );

  it('signUp → code from the outbox → confirmRegistration → SRP sign-in → session → refresh → change password → global sign-out', async () => {
    const result = await signUp('jsrider', 'jsrider@example.com');
    expect(result.userConfirmed).toBe(false);
    const rider = user('jsrider');
    await confirm(rider, await latestCode(corral, 'jsrider@example.com'));

    const session = await authenticate(rider, 'jsrider', PASSWORD);
    expect(session.isValid()).toBe(true);
    const idPayload = session.getIdToken().decodePayload();
    expect(idPayload).toMatchObject({ 'cognito:username': 'jsrider', email: 'jsrider@example.com', 'custom:genre': 'Jazz' });

    const cached = await new Promise<CognitoUserSession>((resolve, reject) =>
      rider.getSession((err: Error | null, s: CognitoUserSession) => (err ? reject(err) : resolve(s))),
    );
    expect(cached.getAccessToken().getJwtToken()).toBe(session.getAccessToken().getJwtToken());

    const refreshed = await new Promise<CognitoUserSession>((resolve, reject) =>
      rider.refreshSession(session.getRefreshToken(), (err, s: CognitoUserSession) => (err ? reject(err) : resolve(s))),
    );
    expect(refreshed.getIdToken().decodePayload().origin_jti).toBe(idPayload.origin_jti);

    await new Promise((resolve, reject) => rider.changePassword(PASSWORD, 'Changed!Ride7', (err, r) => (err ? reject(err) : resolve(r))));
    await authenticate(user('jsrider'), 'jsrider', 'Changed!Ride7');

    await new Promise((resolve, reject) => rider.globalSignOut({ onSuccess: resolve, onFailure: reject }));
    await expect(new Promise((resolve, reject) => rider.getUserAttributes((err, attrs) => (err ? reject(err) : resolve(attrs))))).rejects.toMatchObject({
      code: 'NotAuthorizedException',
    });
  });

  it('refuses a wrong password', async () => {
    await expect(authenticate(user('jsrider'), 'jsrider', 'Wrong!Ride7')).rejects.toMatchObject({
      code: 'NotAuthorizedException',
      message: 'Incorrect username or password.',
    });
  });

  it('signs in with a verified email alias, not an unverified one', async () => {
    const session = await authenticate(user('jsrider@example.com'), 'jsrider@example.com', 'Changed!Ride7');
    expect(session.getIdToken().decodePayload()['cognito:username']).toBe('jsrider');
    await signUp('unverified', 'unverified@example.com');
    await expect(authenticate(user('unverified@example.com'), 'unverified@example.com', PASSWORD)).rejects.toMatchObject({
      code: 'NotAuthorizedException',
    });
  });
});
