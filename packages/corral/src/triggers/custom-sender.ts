// CustomEmailSender / CustomSMSSender (LambdaConfig `{ LambdaVersion: 'V1_0', LambdaArn }` with `KMSKeyID`): the
// pool's function sends the message itself. Corral sends nothing for that medium (no SMTP, no SMS webhook, no
// CustomMessage call): messaging/index.ts `deliver` hands the code here, and the outbox keeps only a note that the
// function was given it.
//   event: the usual envelope (invoke.ts), triggerSource `<Sender>_<kind>` (`CustomEmailSender_SignUp`, `_ResendCode`,
//          `_ForgotPassword`, `_UpdateUserAttribute`, `_VerifyUserAttribute`, `_AdminCreateUser`, `_Authentication`;
//          `CustomSMSSender_…` likewise), request `{ type: 'customEmailSenderRequestV1' | 'customSMSSenderRequestV1',
//          code, clientMetadata: null, userAttributes }`; the answer is not read (the guide's example `return;`s), a
//          failure is the caller's error (UserLambdaValidationException "CustomEmailSender failed with error …").
//   code:  the code (for AdminCreateUser the temporary password) as Cognito sends it — a base64 AWS Encryption SDK
//          message: message format version 1, algorithm suite 0x0378 (AES-256-GCM, HKDF-SHA384, ECDSA P-384
//          signature), frames of 4096 bytes, encryption context `{ "userpool-id": <pool id> }` (plus the SDK's
//          `aws-crypto-public-key`), one encrypted data key with provider id `aws-kms` and provider info the KMS key's
//          ARN (real Cognito events carry exactly this header). The data key is encrypted by Corral's KMS
//          (crypto/kms.ts, in-process through the SDK's own KMS keyring), so a function that decrypts with
//          `@aws-crypto/client-node`'s `KmsKeyringNode({ keyIds: [<key ARN>] })` — the developer guide's example — gets
//          it from Corral's KMS endpoint (actions/kms/Decrypt.ts) when AWS_ENDPOINT_URL_KMS points at Corral.
import type * as EncryptionSdk from '@aws-crypto/client-node';
import type { KmsKeyringNodeInput } from '@aws-crypto/client-node';
import { randomBytes } from 'node:crypto';
import { UnexpectedLambdaException } from '../errors.js';
import { configuredKey, sealWithKey, type KmsKey } from '../crypto/kms.js';
import type { Corral } from '../runtime/app.js';
import type { Pool } from '../storage/pools.js';
import type { User } from '../storage/users.js';
import { invokeTrigger } from './invoke.js';
import { userEventAttributes } from './post-confirmation.js';

export type CustomSender = 'CustomEmailSender' | 'CustomSMSSender';

/** The frame length of Cognito's code messages. */
export const CODE_FRAME_LENGTH = 4096;

export interface CodeForSender {
  medium: 'EMAIL' | 'SMS';
  /** MessageKind: SignUp, ResendCode, ForgotPassword, UpdateUserAttribute, VerifyUserAttribute, AdminCreateUser, Authentication. */
  kind: string;
  username: string;
  code: string;
  user?: User;
}

/** The sender trigger the pool has for a medium, if any. */
export function customSenderFor(pool: Pool, medium: 'EMAIL' | 'SMS'): CustomSender | undefined {
  const sender: CustomSender = medium === 'EMAIL' ? 'CustomEmailSender' : 'CustomSMSSender';
  return pool.settings.LambdaConfig?.[sender]?.LambdaArn ? sender : undefined;
}

type Sdk = typeof EncryptionSdk;
let sdk:
  | Promise<{
      encrypt: ReturnType<Sdk['buildClient']>['encrypt'];
      KmsKeyringNode: Sdk['KmsKeyringNode'];
      suite: Sdk['AlgorithmSuiteIdentifier'][keyof Sdk['AlgorithmSuiteIdentifier']];
    }>
  | undefined;

/** The Encryption SDK, loaded on first use (it is large, and most pools have no custom sender). Cognito's suite,
 *  0x0378 (AES-256-GCM, HKDF-SHA384, ECDSA P-384), is not a committing one, so the client is built to encrypt with
 *  it (REQUIRE_ENCRYPT_ALLOW_DECRYPT, the developer guide's policy for the function, decrypts it). */
function encryptionSdk() {
  sdk ??= import('@aws-crypto/client-node').then((m) => ({
    encrypt: m.buildClient(m.CommitmentPolicy.FORBID_ENCRYPT_ALLOW_DECRYPT).encrypt,
    KmsKeyringNode: m.KmsKeyringNode,
    suite: m.AlgorithmSuiteIdentifier.ALG_AES256_GCM_IV12_TAG16_HKDF_SHA384_ECDSA_P384,
  }));
  return sdk;
}

/** A KMS client for the SDK's keyring that is Corral's own key store, in this process (no HTTP, no credentials). */
function inProcessKms(app: Corral, key: KmsKey): NonNullable<KmsKeyringNodeInput['clientProvider']> {
  const sealed = (plaintext: Uint8Array, context: Record<string, string> | undefined) => sealWithKey(app, key, plaintext, context ?? {});
  const client = {
    async generateDataKey(args: { NumberOfBytes?: number; EncryptionContext?: Record<string, string> }) {
      const plaintext = new Uint8Array(randomBytes(args.NumberOfBytes ?? 32));
      return { KeyId: key.arn, Plaintext: plaintext, CiphertextBlob: new Uint8Array(sealed(plaintext, args.EncryptionContext)) };
    },
    async encrypt(args: { Plaintext: Uint8Array; EncryptionContext?: Record<string, string> }) {
      return { KeyId: key.arn, CiphertextBlob: new Uint8Array(sealed(args.Plaintext, args.EncryptionContext)) };
    },
    async decrypt(): Promise<never> {
      throw new Error('Corral does not decrypt codes for its own custom senders');
    },
  };
  return () => client;
}

/** The code as Cognito puts it in a custom sender's event: a base64 AWS Encryption SDK message under the pool's KMS key. */
export async function encryptCode(app: Corral, pool: Pool, sender: CustomSender, code: string): Promise<string> {
  const kmsKeyId = pool.settings.LambdaConfig?.KMSKeyID;
  const key = configuredKey(app, kmsKeyId);
  if (!key) {
    const why = kmsKeyId ? `KMSKeyID ${kmsKeyId} is not a KMS key or alias ARN` : 'the user pool has no KMSKeyID to encrypt the code with';
    throw new UnexpectedLambdaException(`${sender} invocation failed due to error ${why}.`);
  }
  const { encrypt, KmsKeyringNode, suite } = await encryptionSdk();
  const keyring = new KmsKeyringNode({ generatorKeyId: kmsKeyId!, clientProvider: inProcessKms(app, key) });
  const { result } = await encrypt(keyring, Buffer.from(code, 'utf8'), {
    suiteId: suite,
    encryptionContext: { 'userpool-id': pool.id },
    frameLength: CODE_FRAME_LENGTH,
  });
  return result.toString('base64');
}

/** Runs the pool's sender for this message's medium (the caller has checked there is one). */
export async function sendWithCustomSender(app: Corral, pool: Pool, sender: CustomSender, message: CodeForSender): Promise<void> {
  const code = await encryptCode(app, pool, sender, message.code);
  await invokeTrigger(app, pool, {
    trigger: sender,
    source: `${sender}_${message.kind}`,
    userName: message.username,
    request: {
      type: sender === 'CustomEmailSender' ? 'customEmailSenderRequestV1' : 'customSMSSenderRequestV1',
      code,
      clientMetadata: null,
      userAttributes: message.user ? userEventAttributes(message.user) : {},
    },
    answerIgnored: true,
  });
}
