// The Wild Rydes module 1 trigger extensions (triggers/*.mjs), provisioned from corral.triggers.example.json exactly
// as a user starts them, exercised end to end with amazon-cognito-identity-js (both backends) and aws-amplify v6 —
// and the same three functions written in CommonJS (triggers/cjs/*.js) and in Python (triggers/python/*.py),
// declared with Lambda handler strings in a copy of the file, passing the same tests.
import {
  AuthenticationDetails,
  CognitoUser,
  CognitoUserAttribute,
  CognitoUserPool,
  type CognitoUserSession,
  type ISignUpResult,
} from 'amazon-cognito-identity-js';
import { Amplify } from 'aws-amplify';
import { confirmSignUp, fetchAuthSession, signIn, signOut, signUp } from 'aws-amplify/auth';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachBackend, startTestCorral, type TestCorral } from '../support/corral.js';
import { latestCode } from '../support/pools.js';
import { latestMessage } from './support.js';

const EXAMPLE = fileURLToPath(new URL('../../../../corral.triggers.example.json', import.meta.url));
const PASSWORD = 'Unicorn!Ride42';
/** What the allow-list function throws, and what Cognito makes of it (it appends a period to the message). */
const REFUSED = 'PreSignUp failed with error Cannot sign up for the application with that email address..';

const TRIGGERS = fileURLToPath(new URL('../../../../triggers/', import.meta.url));

/** corral.triggers.example.json with its three functions in another language (`handler` paths made absolute, so the
 *  copy can live in a temp directory). */
function exampleIn(runtime: string, handlers: Record<string, string>): string {
  const example = JSON.parse(readFileSync(EXAMPLE, 'utf8')) as { functions: Record<string, Record<string, unknown>> };
  for (const [name, handler] of Object.entries(handlers)) {
    const { module: _module, ...settings } = example.functions[name]!;
    example.functions[name] = { ...settings, runtime, handler: join(TRIGGERS, handler) };
  }
  const file = join(mkdtempSync(join(tmpdir(), 'corral-example-')), 'corral.triggers.json');
  writeFileSync(file, JSON.stringify(example, null, 2));
  return file;
}

const VARIANTS: Record<string, () => string> = {
  'ES modules': () => EXAMPLE,
  CommonJS: () =>
    exampleIn('nodejs20.x', {
      'wildrydes-pre-signup': 'cjs/pre-signup-allowlist.handler',
      'wildrydes-custom-message': 'cjs/custom-message.handler',
      'wildrydes-pre-token-generation': 'cjs/pre-token-generation.handler',
    }),
  Python: () =>
    exampleIn('python3', {
      'wildrydes-pre-signup': 'python/pre_signup_allowlist.lambda_handler',
      'wildrydes-custom-message': 'python/custom_message.lambda_handler',
      'wildrydes-pre-token-generation': 'python/pre_token_generation.lambda_handler',
    }),
};

for (const [variant, provisionFile] of Object.entries(VARIANTS)) {
  async function startExample(backend: 'sqlite' | 'postgres' = 'sqlite') {
    const corral = await startTestCorral({ backend, provisionFile: provisionFile() });
    const pool = corral.resources!.userPools.find((p) => p.name === 'WildRydes')!;
    return { corral, poolId: pool.id, clientId: pool.clients[0]!.id };
  }

  describeEachBackend(`Wild Rydes trigger extensions, ${variant} (amazon-cognito-identity-js)`, (backend) => {
    let corral: TestCorral;
    let pool: CognitoUserPool;
    beforeAll(async () => {
      const started = await startExample(backend);
      corral = started.corral;
      pool = new CognitoUserPool({ UserPoolId: started.poolId, ClientId: started.clientId, endpoint: corral.url });
    });
    afterAll(() => corral.stop());

    const register = (username: string, email: string, phone?: string) =>
      new Promise<ISignUpResult>((resolve, reject) =>
        pool.signUp(
          username,
          PASSWORD,
          [new CognitoUserAttribute({ Name: 'email', Value: email }), ...(phone ? [new CognitoUserAttribute({ Name: 'phone_number', Value: phone })] : [])],
          [],
          (err, result) => (err ? reject(err) : resolve(result!)),
        ),
      );

    it("pre sign-up: an email outside the allow-list is refused with the function's message", async () => {
      const err = (await register('outsider', 'outsider@gmail.com').catch((e: unknown) => e)) as { code: string; message: string };
      expect(err.code).toBe('UserLambdaValidationException');
      expect(err.message).toBe(REFUSED);
    });

    it('custom message: the sign-up email has the Spanish subject and the code; pre token generation: no phone number, rewards platinum', async () => {
      const up = await register('rider', 'rider@example.com', '+14255550100');
      expect(up.userConfirmed).toBe(false); // autoConfirmUser false: the code flow stands

      const mail = await latestMessage(corral.url, 'rider@example.com');
      expect(mail?.kind).toBe('SignUp');
      expect(mail?.subject).toBe('Bienvenido a WildRydes!');
      const code = await latestCode(corral, 'rider@example.com');
      expect(mail?.body).toContain(`<strong>${code}</strong>`);
      expect(mail?.body).not.toContain('{####}');

      const rider = new CognitoUser({ Username: 'rider', Pool: pool });
      await new Promise((resolve, reject) => rider.confirmRegistration(code, true, (err, r) => (err ? reject(err) : resolve(r))));
      const session = await new Promise<CognitoUserSession>((resolve, reject) =>
        rider.authenticateUser(new AuthenticationDetails({ Username: 'rider', Password: PASSWORD }), { onSuccess: resolve, onFailure: reject }),
      );
      const id = session.getIdToken().decodePayload();
      expect(id).toMatchObject({ rewards: 'platinum', email: 'rider@example.com', 'cognito:username': 'rider' });
      expect(id).not.toHaveProperty('phone_number');
      expect(id).not.toHaveProperty('phone_number_verified');
    });
  });

  describe(`Wild Rydes trigger extensions, ${variant} (aws-amplify v6)`, () => {
    let corral: TestCorral;
    beforeAll(async () => {
      const started = await startExample();
      corral = started.corral;
      Amplify.configure({ Auth: { Cognito: { userPoolId: started.poolId, userPoolClientId: started.clientId, userPoolEndpoint: corral.url } } });
    });
    afterAll(() => corral.stop());

    it('signUp refused for a wrong domain; an allowed rider signs in (SRP) and its ID token says rewards: platinum without the phone', async () => {
      await expect(signUp({ username: 'amp-outsider', password: PASSWORD, options: { userAttributes: { email: 'amp@outside.test' } } })).rejects.toMatchObject({
        name: 'UserLambdaValidationException',
        message: REFUSED,
      });

      await signUp({
        username: 'amp-rider',
        password: PASSWORD,
        options: { userAttributes: { email: 'amp-rider@example.com', phone_number: '+14255550101' } },
      });
      expect((await latestMessage(corral.url, 'amp-rider@example.com'))?.subject).toBe('Bienvenido a WildRydes!');
      await confirmSignUp({ username: 'amp-rider', confirmationCode: await latestCode(corral, 'amp-rider@example.com') });
      expect((await signIn({ username: 'amp-rider', password: PASSWORD })).isSignedIn).toBe(true);
      const { tokens } = await fetchAuthSession();
      expect(tokens?.idToken?.payload.rewards).toBe('platinum');
      expect(tokens?.idToken?.payload).not.toHaveProperty('phone_number');
      await signOut();
    });
  });
}
