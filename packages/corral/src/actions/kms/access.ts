// What the four KMS actions share (wire/models/kms.ts): who may call what, finding the key a request names, and
// KMS's answers to what Corral's keys cannot do. Keys are the ones user pools name in LambdaConfig.KMSKeyID
// (crypto/kms.ts). The admin key pair may call every action; the trigger functions' pair
// (triggers/function-credentials.ts) may Decrypt and DescribeKey only, as a Lambda role with kms:Decrypt would.
import { AccessDeniedException, DryRunOperationException, InvalidKeyUsageException, NotFoundException, NotImplementedError } from '../../errors.js';
import { findKey, type KmsKey } from '../../crypto/kms.js';
import { isFunctionCredentials } from '../../triggers/function-credentials.js';
import type { ActionContext } from '../../wire/actions.js';

export type KmsAction = 'Decrypt' | 'DescribeKey' | 'Encrypt' | 'GenerateDataKey';
const FUNCTION_ACTIONS: readonly KmsAction[] = ['Decrypt', 'DescribeKey'];

export interface RecipientInfo {
  KeyEncryptionAlgorithm?: string;
  AttestationDocument?: string;
}

/** Refuses a call the signer's key pair may not make, in IAM's words. */
export function authorize(ctx: ActionContext, action: KmsAction, resource: string): void {
  if (FUNCTION_ACTIONS.includes(action) || !ctx.accessKeyId || !isFunctionCredentials(ctx.app, ctx.accessKeyId)) return;
  throw new AccessDeniedException(
    `User: arn:aws:sts::${ctx.app.config.accountId}:assumed-role/corral-trigger-functions/${ctx.accessKeyId} is not authorized to perform: ` +
      `kms:${action} on resource: ${resource} because no identity-based policy allows the kms:${action} action`,
  );
}

/** The key `keyId` names, or KMS's NotFoundException naming it as KMS does (bare ids and aliases as ARNs). */
export async function requireKey(ctx: ActionContext, keyId: string, poolHint?: string): Promise<KmsKey> {
  const region = ctx.signingRegion ?? ctx.app.config.region;
  const key = await findKey(ctx.app, keyId, { region, ...(poolHint !== undefined ? { poolHint } : {}) });
  if (key) return key;
  const account = ctx.app.config.accountId;
  if (keyId.startsWith('alias/')) throw new NotFoundException(`Alias arn:aws:kms:${region}:${account}:${keyId} is not found.`);
  if (keyId.startsWith('arn:') && keyId.includes(':alias/')) throw new NotFoundException(`Alias ${keyId} is not found.`);
  throw new NotFoundException(`Key '${keyId.startsWith('arn:') ? keyId : `arn:aws:kms:${region}:${account}:key/${keyId}`}' does not exist`);
}

/** Corral's keys are symmetric: another encryption algorithm is KMS's InvalidKeyUsageException. */
export function symmetricOnly(key: KmsKey, algorithm: string | undefined): void {
  if (algorithm === undefined || algorithm === 'SYMMETRIC_DEFAULT') return;
  throw new InvalidKeyUsageException(`${key.arn} key usage is ENCRYPT_DECRYPT and key spec is SYMMETRIC_DEFAULT; ${algorithm} is not supported for it.`);
}

/** Nitro Enclaves attestation (Recipient) is not something Corral can check: refused, never ignored. */
export function noRecipient(recipient: RecipientInfo | undefined): void {
  if (recipient) throw new NotImplementedError('KMS Recipient (Nitro Enclaves attestation)');
}

/** DryRun: true — the checks passed; KMS's answer. */
export function dryRun(flag: boolean | undefined): void {
  if (flag) throw new DryRunOperationException('The request would have succeeded, but the DryRun option is set.');
}

/** A blob member as bytes (the wire has checked it is a string). */
export function bytes(base64: string): Buffer {
  return Buffer.from(base64, 'base64');
}
