// TrentService.Encrypt: up to 4096 bytes encrypted under the key KeyId names, bound to the encryption context (the
// Encryption SDK's KMS keyring calls it for each further key of a message). The admin's only.
import { sealWithKey, type EncryptionContext } from '../../crypto/kms.js';
import { action } from '../../wire/actions.js';
import { authorize, bytes, dryRun, requireKey, symmetricOnly } from './access.js';

interface EncryptRequest {
  KeyId: string;
  Plaintext: string;
  EncryptionContext?: EncryptionContext;
  GrantTokens?: string[];
  EncryptionAlgorithm?: string;
  DryRun?: boolean;
}

interface EncryptResponse {
  CiphertextBlob: string;
  KeyId: string;
  EncryptionAlgorithm: 'SYMMETRIC_DEFAULT';
}

export default action<EncryptRequest, EncryptResponse>(async (input, ctx) => {
  const context = input.EncryptionContext ?? {};
  const key = await requireKey(ctx, input.KeyId, context['userpool-id']);
  authorize(ctx, 'Encrypt', key.arn);
  symmetricOnly(key, input.EncryptionAlgorithm);
  dryRun(input.DryRun);
  const blob = sealWithKey(ctx.app, key, bytes(input.Plaintext), context);
  return { CiphertextBlob: blob.toString('base64'), KeyId: key.arn, EncryptionAlgorithm: 'SYMMETRIC_DEFAULT' };
});
