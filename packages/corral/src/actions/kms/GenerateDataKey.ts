// TrentService.GenerateDataKey: a fresh data key (NumberOfBytes, or KeySpec AES_256 = 32 / AES_128 = 16 bytes) in the
// clear and encrypted under the key KeyId names, bound to the encryption context — what the Encryption SDK's KMS
// keyring asks for when it encrypts. The admin's only (functions' credentials: AccessDeniedException).
import { randomBytes } from 'node:crypto';
import { ValidationException } from '../../errors.js';
import { sealWithKey, type EncryptionContext } from '../../crypto/kms.js';
import { action } from '../../wire/actions.js';
import { authorize, dryRun, noRecipient, requireKey, type RecipientInfo } from './access.js';

interface GenerateDataKeyRequest {
  KeyId: string;
  EncryptionContext?: EncryptionContext;
  NumberOfBytes?: number;
  KeySpec?: 'AES_256' | 'AES_128';
  GrantTokens?: string[];
  Recipient?: RecipientInfo;
  DryRun?: boolean;
}

interface GenerateDataKeyResponse {
  CiphertextBlob: string;
  Plaintext: string;
  KeyId: string;
}

export default action<GenerateDataKeyRequest, GenerateDataKeyResponse>(async (input, ctx) => {
  noRecipient(input.Recipient);
  if ((input.NumberOfBytes === undefined) === (input.KeySpec === undefined)) {
    throw new ValidationException('Please specify either number of bytes or key spec.');
  }
  const context = input.EncryptionContext ?? {};
  const key = await requireKey(ctx, input.KeyId, context['userpool-id']);
  authorize(ctx, 'GenerateDataKey', key.arn);
  dryRun(input.DryRun);
  const plaintext = randomBytes(input.NumberOfBytes ?? (input.KeySpec === 'AES_128' ? 16 : 32));
  return { CiphertextBlob: sealWithKey(ctx.app, key, plaintext, context).toString('base64'), Plaintext: plaintext.toString('base64'), KeyId: key.arn };
});
