// CustomEmailSender / CustomSMSSender over real HTTP: a sender function written for AWS — `@aws-crypto/client-node`
// with a KmsKeyringNode, as the Cognito developer guide's example decrypts the code — is given Cognito's event, gets
// the code's data key from Corral's KMS endpoint (the AWS SDK's KMS client, pointed there by AWS_ENDPOINT_URL_KMS),
// and the user confirms / signs in with what it decrypted; Corral's outbox keeps no copy of the code. Then the KMS
// endpoint itself: the Encryption SDK message's header, Decrypt's refusals, GenerateDataKey/Encrypt/DescribeKey, and
// who may call what.
import {
  AdminCreateUserCommand,
  ConfirmForgotPasswordCommand,
  ConfirmSignUpCommand,
  ForgotPasswordCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  SignUpCommand,
  type CognitoIdentityProviderClient,
  type LambdaConfigType,
} from '@aws-sdk/client-cognito-identity-provider';
import { DecryptCommand, DescribeKeyCommand, EncryptCommand, GenerateDataKeyCommand, KMS, KMSClient } from '@aws-sdk/client-kms';
import { buildClient, CommitmentPolicy, KmsKeyringNode } from '@aws-crypto/client-node';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { functionCredentials } from '../../src/triggers/function-credentials.js';
import { startTestCorral, TEST_CREDENTIALS, type TestCorral } from '../support/corral.js';
import { createWildRydesPool, type SeedPool } from '../support/pools.js';
import { publicClient } from '../support/users.js';
import { rawCall } from '../support/wire.js';
import { arn } from './support.js';

const PASSWORD = 'Unicorn!Ride42';
const NEW_PASSWORD = 'Unicorn!Ride43';
const KEY_ARN = 'arn:aws:kms:us-east-1:000000000000:key/2f5c8a1e-7d3b-4c6a-9e2f-1b8d4c7a6e30';
const OTHER_KEY_ARN = 'arn:aws:kms:us-east-1:000000000000:key/9a1b2c3d-4e5f-4a6b-8c7d-0e1f2a3b4c5d';
const ALIAS_ARN = 'arn:aws:kms:eu-west-1:000000000000:alias/corral-senders';
const repoNodeModules = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../node_modules');
const attrs = (a: Record<string, string>) => Object.entries(a).map(([Name, Value]) => ({ Name, Value }));

interface Delivery {
  triggerSource: string;
  userName: string;
  userPoolId: string;
  request: { type: string; code: string; clientMetadata: unknown; userAttributes: Record<string, string> };
  code: string;
  encryptionContext: Record<string, string>;
}

/**
 * The sender function, as a user would write it for Lambda (CommonJS, the developer guide's decrypt call), in a
 * directory of its own that sees the repo's node_modules. It records each event and what it decrypted to a file.
 */
function writeSender(dir: string, out: string): string {
  symlinkSync(repoNodeModules, join(dir, 'node_modules'), 'dir');
  const file = join(dir, 'sender.cjs');
  writeFileSync(
    file,
    `const { appendFileSync } = require('node:fs');
const encryptionSdk = require('@aws-crypto/client-node');

// Configure the encryption SDK client with the KMS key.
const { decrypt } = encryptionSdk.buildClient(encryptionSdk.CommitmentPolicy.REQUIRE_ENCRYPT_ALLOW_DECRYPT);
const keyIds = [${JSON.stringify(KEY_ARN)}];
const keyring = new encryptionSdk.KmsKeyringNode({ keyIds });

exports.handler = async (event) => {
  // Decrypt the secret code using encryption SDK.
  let plainTextCode;
  let encryptionContext;
  if (event.request.code) {
    const { plaintext, messageHeader } = await decrypt(keyring, Buffer.from(event.request.code, 'base64'));
    plainTextCode = plaintext.toString('utf8');
    encryptionContext = messageHeader.encryptionContext;
  }
  // Send the message with a provider of choice; here: write it down for the test.
  appendFileSync(${JSON.stringify(out)}, JSON.stringify({ ...event, code: plainTextCode, encryptionContext }) + '\\n');
  return;
};
`,
  );
  return file;
}

function writeFailingSender(dir: string): string {
  const file = join(dir, 'failing.mjs');
  writeFileSync(file, `export const handler = async () => { throw new Error('provider down'); };\n`);
  return file;
}

/** The AWS Encryption SDK message header (message format version 1), parsed by hand. */
function parseHeader(message: Buffer) {
  let at = 0;
  const u8 = () => message.readUInt8(at++);
  const u16 = () => ((at += 2), message.readUInt16BE(at - 2));
  const u32 = () => ((at += 4), message.readUInt32BE(at - 4));
  const bytes = (n: number) => ((at += n), message.subarray(at - n, at));
  const version = u8();
  const type = u8();
  const suiteId = u16();
  const messageId = bytes(16);
  const aadLength = u16();
  const aadEnd = at + aadLength;
  const encryptionContext: Record<string, string> = {};
  if (aadLength) {
    const pairs = u16();
    for (let i = 0; i < pairs; i++) {
      const k = bytes(u16()).toString('utf8');
      encryptionContext[k] = bytes(u16()).toString('utf8');
    }
  }
  expect(at).toBe(aadEnd);
  const edks: { providerId: string; providerInfo: string; ciphertext: Buffer }[] = [];
  const edkCount = u16();
  for (let i = 0; i < edkCount; i++) {
    edks.push({ providerId: bytes(u16()).toString('utf8'), providerInfo: bytes(u16()).toString('utf8'), ciphertext: Buffer.from(bytes(u16())) });
  }
  const contentType = u8();
  const reserved = u32();
  const ivLength = u8();
  const frameLength = u32();
  return { version, type, suiteId, messageId, encryptionContext, edks, contentType, reserved, ivLength, frameLength };
}

async function rejected(p: Promise<unknown>): Promise<{ name: string; message: string }> {
  try {
    await p;
  } catch (err) {
    return err as { name: string; message: string };
  }
  throw new Error('expected the call to fail');
}

describe('custom sender triggers', () => {
  let corral: TestCorral;
  let pub: CognitoIdentityProviderClient;
  let kms: KMSClient;
  let fnKms: KMSClient;
  let dir: string;
  let out: string;
  let both: SeedPool; // CustomEmailSender + CustomSMSSender, email auto-verified, KMSKeyID = KEY_ARN
  let sms: SeedPool; // CustomSMSSender only, phone auto-verified

  const senders = (extra: LambdaConfigType = {}): LambdaConfigType => ({
    CustomEmailSender: { LambdaVersion: 'V1_0', LambdaArn: arn('email-sender') },
    CustomSMSSender: { LambdaVersion: 'V1_0', LambdaArn: arn('sms-sender') },
    KMSKeyID: KEY_ARN,
    ...extra,
  });
  const deliveries = (): Delivery[] =>
    existsSync(out)
      ? readFileSync(out, 'utf8')
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l) as Delivery)
      : [];
  const lastDelivery = (userName: string, source: string): Delivery => {
    const d = deliveries()
      .filter((e) => e.userName === userName && e.triggerSource === source)
      .at(-1);
    if (!d) throw new Error(`no ${source} delivery for ${userName}: ${JSON.stringify(deliveries().map((e) => [e.userName, e.triggerSource]))}`);
    return d;
  };
  const mailbox = async (to: string) => {
    const res = await fetch(`${corral.url}/_corral/mail?to=${encodeURIComponent(to)}`);
    return ((await res.json()) as { messages: { subject: string | null; body: string; kind: string }[] }).messages;
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'corral-sender-'));
    out = join(dir, 'deliveries.jsonl');
    const sender = writeSender(dir, out);
    corral = await startTestCorral({
      config: {
        functions: {
          'email-sender': { module: sender },
          'sms-sender': { module: sender },
          'failing-sender': { module: writeFailingSender(dir) },
        },
      },
    });
    // The function's process gets, from Corral (triggers/runtime/environment.ts), what a Lambda function's has:
    // AWS_REGION and the functions' key pair, plus AWS_ENDPOINT_URL_KMS = Corral. This test sets none of them.
    const creds = functionCredentials(corral.app);
    pub = publicClient(corral);
    kms = new KMSClient({ region: 'us-east-1', endpoint: corral.url, credentials: TEST_CREDENTIALS, maxAttempts: 1 });
    fnKms = new KMSClient({ region: 'us-east-1', endpoint: corral.url, credentials: creds, maxAttempts: 1 });
    both = await createWildRydesPool(corral, { LambdaConfig: senders() });
    sms = await createWildRydesPool(corral, {
      AutoVerifiedAttributes: ['phone_number'],
      LambdaConfig: { CustomSMSSender: { LambdaVersion: 'V1_0', LambdaArn: arn('sms-sender') }, KMSKeyID: KEY_ARN },
    });
    // Pools naming the other keys the KMS tests use.
    await createWildRydesPool(corral, { LambdaConfig: senders({ KMSKeyID: OTHER_KEY_ARN }) });
    await createWildRydesPool(corral, { LambdaConfig: senders({ KMSKeyID: ALIAS_ARN }) });
  });
  afterAll(async () => {
    pub?.destroy();
    kms?.destroy();
    fnKms?.destroy();
    await corral?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('SignUp: the CustomEmailSender gets the code encrypted, decrypts it through KMS, and the user confirms with it', async () => {
    await pub.send(
      new SignUpCommand({ ClientId: both.clientId, Username: 'rider', Password: PASSWORD, UserAttributes: attrs({ email: 'rider@example.com' }) }),
    );
    const d = lastDelivery('rider', 'CustomEmailSender_SignUp');
    expect(d).toMatchObject({
      version: '1',
      userPoolId: both.poolId,
      region: 'us-east-1',
      request: {
        type: 'customEmailSenderRequestV1',
        clientMetadata: null,
        userAttributes: { email: 'rider@example.com', 'cognito:user_status': 'UNCONFIRMED' },
      },
    });
    expect(d.code).toMatch(/^\d{6}$/);
    expect(d.request.code).not.toContain(d.code);
    expect(Buffer.from(d.request.code, 'base64').includes(Buffer.from(d.code))).toBe(false);
    expect(d.encryptionContext['userpool-id']).toBe(both.poolId);

    await pub.send(new ConfirmSignUpCommand({ ClientId: both.clientId, Username: 'rider', ConfirmationCode: d.code }));
    const auth = await pub.send(
      new InitiateAuthCommand({ ClientId: both.clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'rider', PASSWORD } }),
    );
    expect(auth.AuthenticationResult?.IdToken).toBeTruthy();
  });

  it('the outbox keeps a note that the function sent it, never the code', async () => {
    const d = lastDelivery('rider', 'CustomEmailSender_SignUp');
    const messages = await mailbox('rider@example.com');
    expect(messages.length).toBeGreaterThan(0);
    for (const m of messages) {
      expect(m.body).not.toContain(d.code);
      expect(m.body).toContain('CustomEmailSender');
      expect(m.body).not.toMatch(/(?<![0-9])[0-9]{6}(?![0-9])/);
    }
  });

  it("the code is a valid AWS Encryption SDK message, as Cognito writes it: v1, suite 0x0378, the pool's id, one aws-kms key", () => {
    const d = lastDelivery('rider', 'CustomEmailSender_SignUp');
    const h = parseHeader(Buffer.from(d.request.code, 'base64'));
    expect(h.version).toBe(1);
    expect(h.type).toBe(0x80);
    expect(h.suiteId).toBe(0x0378);
    expect(Object.keys(h.encryptionContext).sort()).toEqual(['aws-crypto-public-key', 'userpool-id']);
    expect(h.encryptionContext['userpool-id']).toBe(both.poolId);
    expect(h.edks).toHaveLength(1);
    expect(h.edks[0]).toMatchObject({ providerId: 'aws-kms', providerInfo: KEY_ARN });
    expect(h.contentType).toBe(2); // framed
    expect(h.reserved).toBe(0);
    expect(h.ivLength).toBe(12);
    expect(h.frameLength).toBe(4096);
  });

  it('CustomSMSSender: a phone sign-up gets its code through the SMS sender', async () => {
    await pub.send(
      new SignUpCommand({ ClientId: sms.clientId, Username: 'texter', Password: PASSWORD, UserAttributes: attrs({ phone_number: '+15555550101' }) }),
    );
    const d = lastDelivery('texter', 'CustomSMSSender_SignUp');
    expect(d.request).toMatchObject({ type: 'customSMSSenderRequestV1', userAttributes: { phone_number: '+15555550101' } });
    await pub.send(new ConfirmSignUpCommand({ ClientId: sms.clientId, Username: 'texter', ConfirmationCode: d.code }));
    for (const m of await mailbox('+15555550101')) {
      expect(m.body).not.toContain(d.code);
      expect(m.body).toContain('CustomSMSSender');
    }
  });

  it('AdminCreateUser: the invitation goes to the sender; the temporary password decrypts and signs in', async () => {
    await corral.idp.send(
      new AdminCreateUserCommand({
        UserPoolId: both.poolId,
        Username: 'invited',
        UserAttributes: attrs({ email: 'invited@example.com' }),
        DesiredDeliveryMediums: ['EMAIL'],
      }),
    );
    const d = lastDelivery('invited', 'CustomEmailSender_AdminCreateUser');
    expect(d.request.userAttributes['cognito:user_status']).toBe('FORCE_CHANGE_PASSWORD');
    const start = await pub.send(
      new InitiateAuthCommand({ ClientId: both.clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'invited', PASSWORD: d.code } }),
    );
    expect(start.ChallengeName).toBe('NEW_PASSWORD_REQUIRED');
    const done = await pub.send(
      new RespondToAuthChallengeCommand({
        ClientId: both.clientId,
        ChallengeName: 'NEW_PASSWORD_REQUIRED',
        Session: start.Session,
        ChallengeResponses: { USERNAME: 'invited', NEW_PASSWORD },
      }),
    );
    expect(done.AuthenticationResult?.AccessToken).toBeTruthy();
    for (const m of await mailbox('invited@example.com')) expect(m.body).not.toContain(d.code);

    // By SMS (the default medium with a phone number): the SMS sender.
    await corral.idp.send(
      new AdminCreateUserCommand({ UserPoolId: both.poolId, Username: 'invited-sms', UserAttributes: attrs({ phone_number: '+15555550102' }) }),
    );
    expect(lastDelivery('invited-sms', 'CustomSMSSender_AdminCreateUser').request.type).toBe('customSMSSenderRequestV1');
  });

  it('ForgotPassword: the reset code reaches the sender and resets the password', async () => {
    const details = await pub.send(new ForgotPasswordCommand({ ClientId: both.clientId, Username: 'rider' }));
    expect(details.CodeDeliveryDetails).toMatchObject({ DeliveryMedium: 'EMAIL', AttributeName: 'email' });
    const d = lastDelivery('rider', 'CustomEmailSender_ForgotPassword');
    await pub.send(new ConfirmForgotPasswordCommand({ ClientId: both.clientId, Username: 'rider', ConfirmationCode: d.code, Password: NEW_PASSWORD }));
    const auth = await pub.send(
      new InitiateAuthCommand({ ClientId: both.clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'rider', PASSWORD: NEW_PASSWORD } }),
    );
    expect(auth.AuthenticationResult?.IdToken).toBeTruthy();
  });

  it("a failing sender fails the call in Cognito's words; a sender without a KMS key cannot run", async () => {
    const failing = await createWildRydesPool(corral, {
      LambdaConfig: { CustomEmailSender: { LambdaVersion: 'V1_0', LambdaArn: arn('failing-sender') }, KMSKeyID: KEY_ARN },
    });
    const err = await rejected(
      pub.send(
        new SignUpCommand({ ClientId: failing.clientId, Username: 'unlucky', Password: PASSWORD, UserAttributes: attrs({ email: 'unlucky@example.com' }) }),
      ),
    );
    expect(err).toMatchObject({ name: 'UserLambdaValidationException', message: 'CustomEmailSender failed with error provider down.' });

    const keyless = await createWildRydesPool(corral, { LambdaConfig: { CustomEmailSender: { LambdaVersion: 'V1_0', LambdaArn: arn('email-sender') } } });
    const err2 = await rejected(
      pub.send(
        new SignUpCommand({ ClientId: keyless.clientId, Username: 'keyless', Password: PASSWORD, UserAttributes: attrs({ email: 'keyless@example.com' }) }),
      ),
    );
    expect(err2.name).toBe('UnexpectedLambdaException');
    expect(err2.message).toBe('CustomEmailSender invocation failed due to error the user pool has no KMSKeyID to encrypt the code with.');
  });

  describe('the KMS endpoint', () => {
    /** The encrypted data key of a delivered code and the context it is bound to. */
    const edkOf = (d: Delivery) => {
      const h = parseHeader(Buffer.from(d.request.code, 'base64'));
      return { blob: h.edks[0]!.ciphertext, context: h.encryptionContext };
    };

    it("Decrypt opens a code's data key with its encryption context, for the admin and the functions' key pair", async () => {
      const { blob, context } = edkOf(lastDelivery('rider', 'CustomEmailSender_SignUp'));
      for (const client of [kms, fnKms]) {
        const out = await client.send(new DecryptCommand({ CiphertextBlob: blob, EncryptionContext: context }));
        expect(out.KeyId).toBe(KEY_ARN);
        expect(out.Plaintext?.length).toBe(32);
        expect(out.EncryptionAlgorithm).toBe('SYMMETRIC_DEFAULT');
      }
      const named = await fnKms.send(new DecryptCommand({ CiphertextBlob: blob, EncryptionContext: context, KeyId: KEY_ARN }));
      expect(named.KeyId).toBe(KEY_ARN);
    });

    it('Decrypt refuses another encryption context, a changed byte, another key named in the blob, and a KeyId that is not its key', async () => {
      const { blob, context } = edkOf(lastDelivery('rider', 'CustomEmailSender_SignUp'));
      const decrypt = (CiphertextBlob: Uint8Array, EncryptionContext: Record<string, string> | undefined, KeyId?: string) =>
        rejected(fnKms.send(new DecryptCommand({ CiphertextBlob, EncryptionContext, KeyId })));

      expect((await decrypt(blob, { ...context, 'userpool-id': sms.poolId })).name).toBe('InvalidCiphertextException');
      expect((await decrypt(blob, undefined)).name).toBe('InvalidCiphertextException');
      const { 'aws-crypto-public-key': _pk, ...lessContext } = context;
      expect((await decrypt(blob, lessContext)).name).toBe('InvalidCiphertextException');
      for (const at of [blob.length - 1, blob.length - 20, 10]) {
        const tampered = Buffer.from(blob);
        tampered[at]! ^= 0x01;
        expect((await decrypt(tampered, context)).name, `byte ${at}`).toBe('InvalidCiphertextException');
      }
      // The same blob claiming another (configured) key: the key ARN is bound into it.
      const swapped = Buffer.from(blob.toString('latin1').replace(KEY_ARN, OTHER_KEY_ARN), 'latin1');
      expect(swapped.equals(blob)).toBe(false);
      expect((await decrypt(swapped, context)).name).toBe('InvalidCiphertextException');
      expect((await decrypt(Buffer.from('not a kms ciphertext'), context)).name).toBe('InvalidCiphertextException');
      expect((await decrypt(blob, context, OTHER_KEY_ARN)).name).toBe('IncorrectKeyException');
      expect(await decrypt(blob, context, 'arn:aws:kms:us-east-1:000000000000:key/00000000-0000-4000-8000-000000000000')).toMatchObject({
        name: 'NotFoundException',
        message: "Key 'arn:aws:kms:us-east-1:000000000000:key/00000000-0000-4000-8000-000000000000' does not exist",
      });
    });

    it('GenerateDataKey and Encrypt make blobs Decrypt opens; the functions may only decrypt', async () => {
      const ctx = { purpose: 'test' };
      const dk = await kms.send(new GenerateDataKeyCommand({ KeyId: KEY_ARN, KeySpec: 'AES_256', EncryptionContext: ctx }));
      expect(dk.KeyId).toBe(KEY_ARN);
      expect(dk.Plaintext?.length).toBe(32);
      const opened = await fnKms.send(new DecryptCommand({ CiphertextBlob: dk.CiphertextBlob, EncryptionContext: ctx }));
      expect(Buffer.from(opened.Plaintext!).equals(Buffer.from(dk.Plaintext!))).toBe(true);
      expect((await kms.send(new GenerateDataKeyCommand({ KeyId: KEY_ARN, NumberOfBytes: 16 }))).Plaintext?.length).toBe(16);
      expect(await rejected(kms.send(new GenerateDataKeyCommand({ KeyId: KEY_ARN })))).toMatchObject({
        name: 'ValidationException',
        message: 'Please specify either number of bytes or key spec.',
      });

      const enc = await kms.send(new EncryptCommand({ KeyId: KEY_ARN, Plaintext: Buffer.from('hello'), EncryptionContext: ctx }));
      const dec = await kms.send(new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob, EncryptionContext: ctx }));
      expect(Buffer.from(dec.Plaintext!).toString()).toBe('hello');

      for (const call of [
        fnKms.send(new GenerateDataKeyCommand({ KeyId: KEY_ARN, KeySpec: 'AES_256' })),
        fnKms.send(new EncryptCommand({ KeyId: KEY_ARN, Plaintext: Buffer.from('x') })),
      ]) {
        const err = await rejected(call);
        expect(err.name).toBe('AccessDeniedException');
        expect(err.message).toContain(`is not authorized to perform: kms:`);
        expect(err.message).toContain(`on resource: ${KEY_ARN}`);
      }
      expect((await rejected(kms.send(new GenerateDataKeyCommand({ KeyId: 'alias/nobody', KeySpec: 'AES_256' })))).name).toBe('NotFoundException');
    });

    it("the Encryption SDK's own KMS keyring encrypts and decrypts through the endpoint (GenerateDataKey, Decrypt)", async () => {
      const clientProvider = (region: string) => new KMS({ region, endpoint: corral.url, credentials: TEST_CREDENTIALS, maxAttempts: 1 });
      const keyring = new KmsKeyringNode({ generatorKeyId: KEY_ARN, clientProvider });
      const { encrypt, decrypt } = buildClient(CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT);
      const { result } = await encrypt(keyring, 'a secret', { encryptionContext: { 'userpool-id': both.poolId } });
      const { plaintext, messageHeader } = await decrypt(keyring, result);
      expect(plaintext.toString()).toBe('a secret');
      expect(messageHeader.encryptedDataKeys[0]).toMatchObject({ providerId: 'aws-kms', providerInfo: KEY_ARN });
    });

    it('DescribeKey: a key ARN, its id, an alias ARN and alias/<name>', async () => {
      const byArn = await fnKms.send(new DescribeKeyCommand({ KeyId: KEY_ARN }));
      expect(byArn.KeyMetadata).toMatchObject({ Arn: KEY_ARN, KeyId: KEY_ARN.split('/')[1], Enabled: true, KeyUsage: 'ENCRYPT_DECRYPT', KeyState: 'Enabled' });
      expect((await kms.send(new DescribeKeyCommand({ KeyId: KEY_ARN.split('/')[1] }))).KeyMetadata?.Arn).toBe(KEY_ARN);
      const alias = await kms.send(new DescribeKeyCommand({ KeyId: ALIAS_ARN }));
      expect(alias.KeyMetadata?.Arn).toMatch(/^arn:aws:kms:eu-west-1:000000000000:key\/[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect((await kms.send(new DescribeKeyCommand({ KeyId: 'alias/corral-senders' }))).KeyMetadata?.Arn).toBe(alias.KeyMetadata?.Arn);
      expect(await rejected(kms.send(new DescribeKeyCommand({ KeyId: 'alias/unknown' })))).toMatchObject({
        name: 'NotFoundException',
        message: 'Alias arn:aws:kms:us-east-1:000000000000:alias/unknown is not found.',
      });
    });

    it('a pool whose KMSKeyID is an alias: the code carries the derived key ARN, which a keyring listing it decrypts', async () => {
      const aliased = await createWildRydesPool(corral, {
        LambdaConfig: { CustomEmailSender: { LambdaVersion: 'V1_0', LambdaArn: arn('email-sender') }, KMSKeyID: ALIAS_ARN },
      });
      const keyArn = (await kms.send(new DescribeKeyCommand({ KeyId: ALIAS_ARN }))).KeyMetadata!.Arn!;
      // The test's sender only lists KEY_ARN, so it cannot decrypt this one (as on AWS: a keyring must list the key).
      const err = await rejected(
        pub.send(
          new SignUpCommand({ ClientId: aliased.clientId, Username: 'aliased', Password: PASSWORD, UserAttributes: attrs({ email: 'aliased@example.com' }) }),
        ),
      );
      expect(err.name).toBe('UserLambdaValidationException');
      // What Corral gave it names the derived key; a keyring that lists it opens it over the wire.
      const { encryptCode } = await import('../../src/triggers/custom-sender.js');
      const pool = (await corral.app.store.pools.find(aliased.poolId))!;
      const code = await encryptCode(corral.app, pool, 'CustomEmailSender', '424242');
      expect(parseHeader(Buffer.from(code, 'base64')).edks[0]!.providerInfo).toBe(keyArn);
      const keyring = new KmsKeyringNode({
        keyIds: [keyArn],
        clientProvider: (region: string) => new KMS({ region, endpoint: corral.url, credentials: functionCredentials(corral.app) }),
      });
      const { plaintext } = await buildClient(CommitmentPolicy.REQUIRE_ENCRYPT_ALLOW_DECRYPT).decrypt(keyring, Buffer.from(code, 'base64'));
      expect(plaintext.toString()).toBe('424242');
    });

    it('unsigned, wrongly signed and unknown key pairs are refused before anything is decrypted', async () => {
      const { blob, context } = edkOf(lastDelivery('rider', 'CustomEmailSender_SignUp'));
      const body = JSON.stringify({ CiphertextBlob: blob.toString('base64'), EncryptionContext: context });
      const unsigned = await rawCall(corral.url, { target: 'TrentService.Decrypt', body });
      expect(unsigned.status).toBe(403);
      expect(unsigned.body.__type).toBe('MissingAuthenticationTokenException');
      const otherService = await rawCall(corral.url, { target: 'TrentService.Decrypt', body, signingName: 'cognito-idp' });
      expect(otherService.body.__type).toBe('InvalidSignatureException');
      const signed = await rawCall(corral.url, { target: 'TrentService.Decrypt', body, signingName: 'kms' });
      expect(signed.status, signed.text).toBe(200);
      expect(Buffer.from(String(signed.body.Plaintext), 'base64').length).toBe(32);

      const stranger = new KMSClient({
        region: 'us-east-1',
        endpoint: corral.url,
        credentials: { accessKeyId: 'AKIASTRANGER00000000', secretAccessKey: 'x' },
        maxAttempts: 1,
      });
      expect((await rejected(stranger.send(new DecryptCommand({ CiphertextBlob: blob, EncryptionContext: context })))).name).toBe(
        'UnrecognizedClientException',
      );
      stranger.destroy();
      // The functions' pair is KMS's only: the Cognito API does not know it.
      const fnIdp = new (await import('@aws-sdk/client-cognito-identity-provider')).CognitoIdentityProviderClient({
        region: 'us-east-1',
        endpoint: corral.url,
        credentials: functionCredentials(corral.app),
        maxAttempts: 1,
      });
      const { ListUserPoolsCommand } = await import('@aws-sdk/client-cognito-identity-provider');
      expect((await rejected(fnIdp.send(new ListUserPoolsCommand({ MaxResults: 1 })))).name).toBe('UnrecognizedClientException');
      fnIdp.destroy();
    });

    it('model validation is ValidationException, as KMS answers it', async () => {
      const res = await rawCall(corral.url, { target: 'TrentService.Decrypt', body: '{}', signingName: 'kms' });
      expect(res.body).toMatchObject({
        __type: 'ValidationException',
        message: "1 validation error detected: Value null at 'ciphertextBlob' failed to satisfy constraint: Member must not be null",
      });
    });
  });
});
