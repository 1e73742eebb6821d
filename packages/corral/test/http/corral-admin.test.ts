// Corral's own admin API (CorralAdmin.*, wire/models/corral.ts) over real HTTP, signed with SigV4 (signing name
// `corral`) as the console signs it: the mailbox with codes, the functions registry, trigger invocations, signing-key
// rotation — and the same signature checks as Cognito's signed calls.
import { SignatureV4 } from '@smithy/signature-v4';
import { Sha256 } from '@aws-crypto/sha256-js';
import { AdminCreateUserCommand, InitiateAuthCommand, SignUpCommand, UpdateUserPoolCommand } from '@aws-sdk/client-cognito-identity-provider';
import { inspect } from 'node:util';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { corralModel } from '../../src/wire/models/corral.js';
import { redactSecrets } from '../../src/redact.js';
import { startTestCorral, TEST_CREDENTIALS, type TestCorral } from '../support/corral.js';
import { createWildRydesPool, type SeedPool } from '../support/pools.js';
import { expectWireError, rawCall, type WireResponse } from '../support/wire.js';

const PASSWORD = 'Unicorn!Ride42';

function admin(corral: TestCorral, action: string, input: unknown = {}): Promise<WireResponse> {
  return rawCall(corral.url, { target: `CorralAdmin.${action}`, body: JSON.stringify(input), signingName: 'corral' });
}

async function ok<T = Record<string, unknown>>(res: Promise<WireResponse>): Promise<T> {
  const r = await res;
  expect(r.status, r.text).toBe(200);
  expect(r.headers.get('content-type')).toBe('application/x-amz-json-1.1');
  return r.body as T;
}

interface Message {
  Id: string;
  UserPoolId: string;
  Medium: string;
  To: string;
  Subject?: string;
  Body: string;
  Kind: string;
  Username?: string;
  Code?: string;
  CreatedAt: number;
}
interface Invocation {
  Id: string;
  FunctionName: string;
  TriggerSource: string;
  UserPoolId: string;
  StartedAt: number;
  DurationMs: number;
  Outcome: string;
  ErrorMessage?: string;
}

describe('CorralAdmin', () => {
  let corral: TestCorral;
  let pool: SeedPool;
  let fnDir: string;
  const before = Date.now();

  beforeAll(async () => {
    fnDir = mkdtempSync(join(tmpdir(), 'corral-admin-fn-'));
    writeFileSync(join(fnDir, 'presignup.mjs'), `export async function handler(event) { return event; }\n`);
    writeFileSync(
      join(fnDir, 'refuser.mjs'),
      `export async function handler(event) { throw new Error('no riders named ' + event.userName + ' ' + 'x'.repeat(3000)); }\n`,
    );
    writeFileSync(join(fnDir, 'helper.js'), `export const handler = async (e) => e;\n`);
    writeFileSync(join(fnDir, 'README.txt'), 'not a function');
    corral = await startTestCorral({
      env: { CORRAL_FUNCTIONS_DIR: fnDir },
      config: { functions: { webhook: { url: 'http://127.0.0.1:9/hook' }, configured: { module: join(fnDir, 'presignup.mjs') } } },
    });
    pool = await createWildRydesPool(corral, { LambdaConfig: { PreSignUp: 'arn:aws:lambda:us-east-1:000000000000:function:presignup' } });
  });
  afterAll(async () => {
    await corral?.stop();
    rmSync(fnDir, { recursive: true, force: true });
  });

  describe('ListMessages', () => {
    it('lists a SignUp code message with its Code, newest first, by pool and recipient', async () => {
      await corral.idp.send(
        new SignUpCommand({
          ClientId: pool.clientId,
          Username: 'rider1',
          Password: PASSWORD,
          UserAttributes: [{ Name: 'email', Value: 'rider1@example.com' }],
        }),
      );
      await corral.idp.send(
        new SignUpCommand({
          ClientId: pool.clientId,
          Username: 'rider2',
          Password: PASSWORD,
          UserAttributes: [{ Name: 'email', Value: 'Rider2@Example.com' }],
        }),
      );
      const { Messages } = await ok<{ Messages: Message[] }>(admin(corral, 'ListMessages', { UserPoolId: pool.poolId }));
      expect(Messages.map((m) => m.Username)).toEqual(['rider2', 'rider1']);
      const m = Messages[1]!;
      expect(m).toMatchObject({ UserPoolId: pool.poolId, Medium: 'email', To: 'rider1@example.com', Kind: 'SignUp', Subject: 'Your verification code' });
      expect(m.Code).toMatch(/^\d{6}$/);
      expect(m.Body).toContain(m.Code);
      expect(m.CreatedAt).toBeGreaterThanOrEqual(before / 1000 - 1);
      expect(m.CreatedAt).toBeLessThanOrEqual(Date.now() / 1000 + 1);

      const one = await ok<{ Messages: Message[] }>(admin(corral, 'ListMessages', { Recipient: 'rider2@example.com' }));
      expect(one.Messages.map((x) => x.Username)).toEqual(['rider2']);
      const limited = await ok<{ Messages: Message[] }>(admin(corral, 'ListMessages', { MaxResults: 1 }));
      expect(limited.Messages).toHaveLength(1);
      const none = await ok<{ Messages: Message[] }>(admin(corral, 'ListMessages', { UserPoolId: 'us-east-1_nothere1' }));
      expect(none.Messages).toEqual([]);
    });

    it("reads the code out of the pool's own template, and an invitation's temporary password", async () => {
      await corral.idp.send(
        new UpdateUserPoolCommand({
          UserPoolId: pool.poolId,
          LambdaConfig: { PreSignUp: 'arn:aws:lambda:us-east-1:000000000000:function:presignup' },
          AutoVerifiedAttributes: ['email'],
          VerificationMessageTemplate: { EmailMessage: 'Ride code 2024: {####} (valid 24 h)', EmailSubject: 'Ride on' },
          AdminCreateUserConfig: { InviteMessageTemplate: { EmailMessage: 'Hi {username}, your password is {####}', EmailSubject: 'Welcome' } },
        }),
      );
      await corral.idp.send(
        new SignUpCommand({
          ClientId: pool.clientId,
          Username: 'rider3',
          Password: PASSWORD,
          UserAttributes: [{ Name: 'email', Value: 'rider3@example.com' }],
        }),
      );
      await corral.idp.send(
        new AdminCreateUserCommand({
          UserPoolId: pool.poolId,
          Username: 'invited',
          TemporaryPassword: 'Temp!Pass123',
          UserAttributes: [{ Name: 'email', Value: 'invited@example.com' }],
          DesiredDeliveryMediums: ['EMAIL'],
        }),
      );
      const { Messages } = await ok<{ Messages: Message[] }>(admin(corral, 'ListMessages', { UserPoolId: pool.poolId, MaxResults: 2 }));
      const [invite, signUp] = Messages;
      expect(invite).toMatchObject({ Kind: 'AdminCreateUser', Code: 'Temp!Pass123', Body: 'Hi invited, your password is Temp!Pass123' });
      expect(signUp!.Kind).toBe('SignUp');
      expect(signUp!.Body).toMatch(/^Ride code 2024: \d{6} \(valid 24 h\)$/);
      expect(signUp!.Code).toBe(/: (\d{6}) /.exec(signUp!.Body)![1]);
    });

    it('refuses a MaxResults out of 1..60 and a malformed pool id (InvalidParameterException)', async () => {
      for (const input of [{ MaxResults: 0 }, { MaxResults: 61 }, { UserPoolId: 'no pool' }]) {
        expectWireError(await admin(corral, 'ListMessages', input), 'InvalidParameterException');
      }
      expectWireError(await admin(corral, 'ListMessages', { MaxResults: 'ten' }), 'SerializationException');
    });
  });

  describe('ListFunctions', () => {
    it('lists the configured functions and the directory modules, by name', async () => {
      const { Functions } = await ok<{ Functions: { Name: string; Runtime: string; Handler: string; Source: string }[] }>(admin(corral, 'ListFunctions'));
      expect(Functions).toEqual([
        { Name: 'configured', Runtime: 'nodejs', Handler: `${join(fnDir, 'presignup.mjs')}.handler`, Source: 'config' },
        { Name: 'helper', Runtime: 'nodejs', Handler: `${join(fnDir, 'helper.js')}.handler`, Source: 'directory' },
        { Name: 'presignup', Runtime: 'nodejs', Handler: `${join(fnDir, 'presignup.mjs')}.handler`, Source: 'directory' },
        { Name: 'refuser', Runtime: 'nodejs', Handler: `${join(fnDir, 'refuser.mjs')}.handler`, Source: 'directory' },
        { Name: 'webhook', Runtime: 'http', Handler: 'http://127.0.0.1:9/hook', Source: 'config' },
      ]);
    });
  });

  describe('ListFunctionInvocations', () => {
    it('lists the runs of a trigger, newest first: outcome, duration, the error cut to 1 KiB, never the event', async () => {
      const refusing = await createWildRydesPool(corral, {
        PoolName: 'Refusing',
        LambdaConfig: { PreSignUp: 'arn:aws:lambda:us-east-1:000000000000:function:refuser' },
      });
      await expect(
        corral.idp.send(
          new SignUpCommand({
            ClientId: refusing.clientId,
            Username: 'nobody',
            Password: PASSWORD,
            UserAttributes: [{ Name: 'email', Value: 'n@example.com' }],
          }),
        ),
      ).rejects.toMatchObject({ name: 'UserLambdaValidationException' });
      const missing = await createWildRydesPool(corral, {
        PoolName: 'Missing',
        LambdaConfig: { PreSignUp: 'arn:aws:lambda:us-east-1:000000000000:function:ghost' },
      });
      await expect(
        corral.idp.send(
          new SignUpCommand({
            ClientId: missing.clientId,
            Username: 'ghosted',
            Password: PASSWORD,
            UserAttributes: [{ Name: 'email', Value: 'g@example.com' }],
          }),
        ),
      ).rejects.toMatchObject({ name: 'UnexpectedLambdaException' });

      const all = await ok<{ Invocations: Invocation[] }>(admin(corral, 'ListFunctionInvocations'));
      expect(all.Invocations.map((i) => [i.FunctionName, i.Outcome])).toEqual([
        ['ghost', 'Unavailable'],
        ['refuser', 'Failed'],
        ['presignup', 'Succeeded'],
        ['presignup', 'Succeeded'],
        ['presignup', 'Succeeded'],
        ['presignup', 'Succeeded'],
      ]);
      // rider1, rider2, rider3 signed up; `invited` was created by the admin.
      expect(all.Invocations.slice(2).map((i) => i.TriggerSource)).toEqual([
        'PreSignUp_AdminCreateUser',
        'PreSignUp_SignUp',
        'PreSignUp_SignUp',
        'PreSignUp_SignUp',
      ]);
      const [ghost, refused] = all.Invocations;
      expect(ghost).toMatchObject({ TriggerSource: 'PreSignUp_SignUp', UserPoolId: missing.poolId, DurationMs: 0 });
      expect(ghost!.ErrorMessage).toMatch(/no function named ghost/);
      expect(refused).toMatchObject({ TriggerSource: 'PreSignUp_SignUp', UserPoolId: refusing.poolId });
      expect(refused!.ErrorMessage!.startsWith('no riders named nobody xxx')).toBe(true);
      expect(Buffer.byteLength(refused!.ErrorMessage!)).toBe(1024);
      expect(refused!.DurationMs).toBeGreaterThanOrEqual(0);
      expect(refused!.StartedAt).toBeGreaterThanOrEqual(before / 1000 - 1);
      expect(JSON.stringify(all)).not.toContain(PASSWORD);

      const one = await ok<{ Invocations: Invocation[] }>(admin(corral, 'ListFunctionInvocations', { FunctionName: 'presignup', MaxResults: 2 }));
      expect(one.Invocations).toHaveLength(2);
      expect(one.Invocations.every((i) => i.FunctionName === 'presignup' && i.Outcome === 'Succeeded' && i.ErrorMessage === undefined)).toBe(true);
      expect(one.Invocations[0]!.Id > one.Invocations[1]!.Id).toBe(true);
      expectWireError(await admin(corral, 'ListFunctionInvocations', { MaxResults: 101 }), 'InvalidParameterException');
    });

    it('stores a failure that echoes the event without its password, codes or challenge answers', async () => {
      // A function that throws what it was given: the event, as JSON and as Node prints it.
      writeFileSync(
        join(fnDir, 'echoer.mjs'),
        `import { inspect } from 'node:util';\n` +
          `export async function handler(event) { throw new Error('cannot migrate ' + JSON.stringify(event) + ' / ' + inspect(event.request)); }\n`,
      );
      const migrating = await createWildRydesPool(corral, {
        PoolName: 'Migrating',
        LambdaConfig: { UserMigration: 'arn:aws:lambda:us-east-1:000000000000:function:echoer' },
      });
      const secret = 'Migr4te!Secret-pw';
      await expect(
        corral.idp.send(
          new InitiateAuthCommand({
            ClientId: migrating.clientId,
            AuthFlow: 'USER_PASSWORD_AUTH',
            AuthParameters: { USERNAME: 'migrant', PASSWORD: secret },
          }),
        ),
      ).rejects.toBeDefined();
      const { Invocations } = await ok<{ Invocations: Invocation[] }>(admin(corral, 'ListFunctionInvocations', { FunctionName: 'echoer' }));
      expect(Invocations).toHaveLength(1);
      const message = Invocations[0]!.ErrorMessage!;
      expect(message).toContain('cannot migrate');
      expect(message).toContain('UserMigration_Authentication'); // what is not secret stays, to debug with
      expect(message).toContain('"password":"[redacted]"');
      expect(message).not.toContain(secret);

      const challenge = {
        request: { privateChallengeParameters: { answer: '424242' }, challengeAnswer: '434343', code: '565656', clientMetadata: { captcha: '575757' } },
      };
      for (const text of [JSON.stringify(challenge), inspect(challenge, { depth: 4 }), JSON.stringify(challenge, null, 2)]) {
        const redacted = redactSecrets(text);
        for (const v of ['424242', '434343', '565656', '575757']) expect(redacted, text).not.toContain(v);
      }
      // A quoted value that the message cut short is blanked to its end; words that merely contain a name are kept.
      expect(redactSecrets('{"password":"Hunter2 and mo')).toBe('{"password":"[redacted]"');
      expect(redactSecrets('zipcode: "12345", Invalid password: too short')).toBe('zipcode: "12345", Invalid password: too short');
    });

    it("a record that cannot be written never fails the user's request", async () => {
      const invocations = corral.app.store.invocations;
      const record = invocations.record;
      invocations.record = async () => {
        throw new Error('the database is full');
      };
      try {
        const res = await corral.idp.send(
          new SignUpCommand({
            ClientId: pool.clientId,
            Username: 'rider4',
            Password: PASSWORD,
            UserAttributes: [{ Name: 'email', Value: 'rider4@example.com' }],
          }),
        );
        expect(res.UserConfirmed).toBe(false);
      } finally {
        invocations.record = record;
      }
    });
  });

  describe('RotateSigningKeys', () => {
    const kids = async (poolId: string): Promise<string[]> => {
      const res = await fetch(`${corral.url}/${poolId}/.well-known/jwks.json`);
      return ((await res.json()) as { keys: { kid: string }[] }).keys.map((k) => k.kid);
    };

    it('puts new keys in the JWKS (the old ones stay for the grace period) and answers their kids', async () => {
      const old = await kids(pool.poolId);
      expect(old).toHaveLength(2);
      const { KeyIds } = await ok<{ KeyIds: string[] }>(admin(corral, 'RotateSigningKeys', { UserPoolId: pool.poolId }));
      expect(KeyIds).toHaveLength(2);
      for (const kid of KeyIds) expect(old).not.toContain(kid);
      const now = await kids(pool.poolId);
      expect(now.sort()).toEqual([...old, ...KeyIds].sort());
    });

    it("answers an unknown pool in Cognito's words, a missing one InvalidParameterException", async () => {
      const res = await admin(corral, 'RotateSigningKeys', { UserPoolId: 'us-east-1_doesNotExist' });
      expectWireError(res, 'ResourceNotFoundException');
      expect(res.body.message).toBe('User pool us-east-1_doesNotExist does not exist.');
      const missing = await admin(corral, 'RotateSigningKeys', {});
      expectWireError(missing, 'InvalidParameterException');
      expect(missing.body.message).toBe("1 validation error detected: Value null at 'userPoolId' failed to satisfy constraint: Member must not be null");
    });
  });

  describe('signatures', () => {
    async function signedBy(credentials: { accessKeyId: string; secretAccessKey: string }, service: string): Promise<WireResponse> {
      const u = new URL(corral.url);
      const body = '{}';
      const signer = new SignatureV4({ credentials, region: 'us-east-1', service, sha256: Sha256 });
      const signed = await signer.sign({
        method: 'POST',
        protocol: 'http:',
        hostname: u.hostname,
        port: Number(u.port),
        path: '/',
        headers: { host: u.host, 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'CorralAdmin.ListFunctions' },
        body,
      });
      const { host: _host, ...headers } = signed.headers as Record<string, string>;
      const res = await fetch(corral.url, { method: 'POST', headers, body });
      const text = await res.text();
      return { status: res.status, headers: res.headers, body: JSON.parse(text) as Record<string, unknown>, text };
    }

    it('refuses every CorralAdmin action unsigned', async () => {
      const actions = Object.keys(corralModel.operations);
      expect(actions.length).toBeGreaterThanOrEqual(4);
      for (const action of actions) {
        for (const body of ['{}', JSON.stringify({ UserPoolId: pool.poolId })]) {
          const res = await rawCall(corral.url, { target: `CorralAdmin.${action}`, body });
          expectWireError(res, 'MissingAuthenticationTokenException', 403);
          expect(res.text, action).not.toMatch(/Messages|Functions|Invocations|KeyIds/);
        }
        // Nor with the admin's key id in an Authorization header that is no signature.
        const forged = await fetch(corral.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/x-amz-json-1.1',
            'x-amz-target': `CorralAdmin.${action}`,
            authorization: `AWS4-HMAC-SHA256 Credential=${TEST_CREDENTIALS.accessKeyId}/20260101/us-east-1/corral/aws4_request, SignedHeaders=host, Signature=00`,
          },
          body: '{}',
        });
        expect(forged.status, action).toBeGreaterThanOrEqual(400);
        expect(forged.status, action).toBeLessThan(500);
      }
    });

    it('refuses an unsigned call, an unknown key, a wrong secret and another service’s scope', async () => {
      const unsigned = await rawCall(corral.url, { target: 'CorralAdmin.ListMessages', body: '{}' });
      expectWireError(unsigned, 'MissingAuthenticationTokenException', 403);
      expectWireError(await signedBy({ accessKeyId: 'AKIANOTTHEADMIN00000', secretAccessKey: 'x' }, 'corral'), 'UnrecognizedClientException');
      expectWireError(await signedBy({ ...TEST_CREDENTIALS, secretAccessKey: 'wrong-secret' }, 'corral'), 'InvalidSignatureException');
      expectWireError(await signedBy(TEST_CREDENTIALS, 'cognito-idp'), 'InvalidSignatureException');
      expect((await signedBy(TEST_CREDENTIALS, 'corral')).status).toBe(200);
    });
  });
});
