// TrentService.Decrypt: the plaintext of a CiphertextBlob made by Encrypt or GenerateDataKey (or by Corral for a
// custom sender's code: the Encryption SDK's KMS keyring sends the message's encrypted data key here), given the
// encryption context it was made with. The blob names its key; a KeyId, when given, must name the same one
// (IncorrectKeyException). A blob that is not one of Corral's, or that does not open with that key and context, is
// InvalidCiphertextException; one made with a key no pool names any more is NotFoundException.
import { IncorrectKeyException, InvalidCiphertextException, NotFoundException } from '../../errors.js';
import { blobKeyArn, configuredKey, findKey, openWithKey, type EncryptionContext } from '../../crypto/kms.js';
import { action } from '../../wire/actions.js';
import { authorize, bytes, dryRun, noRecipient, requireKey, symmetricOnly, type RecipientInfo } from './access.js';

interface DecryptRequest {
  CiphertextBlob: string;
  EncryptionContext?: EncryptionContext;
  GrantTokens?: string[];
  KeyId?: string;
  EncryptionAlgorithm?: string;
  Recipient?: RecipientInfo;
  DryRun?: boolean;
}

interface DecryptResponse {
  KeyId: string;
  Plaintext: string;
  EncryptionAlgorithm: 'SYMMETRIC_DEFAULT';
}

export default action<DecryptRequest, DecryptResponse>(async (input, ctx) => {
  noRecipient(input.Recipient);
  const blob = bytes(input.CiphertextBlob);
  const context = input.EncryptionContext ?? {};
  const arn = blobKeyArn(blob);
  const made = arn ? configuredKey(ctx.app, arn) : undefined;
  if (!arn || !made) throw new InvalidCiphertextException('The ciphertext is not one this service made.');
  authorize(ctx, 'Decrypt', arn);
  symmetricOnly(made, input.EncryptionAlgorithm);
  const poolHint = context['userpool-id'];
  if (input.KeyId !== undefined) {
    const named = await requireKey(ctx, input.KeyId, poolHint);
    if (named.arn !== arn) throw new IncorrectKeyException('The key ID in the request does not identify a CMK that can perform this operation.');
  }
  const plaintext = openWithKey(ctx.app, made, blob, context);
  if (!plaintext) throw new InvalidCiphertextException('The ciphertext does not open with its key and this encryption context.');
  if (!(await findKey(ctx.app, arn, poolHint !== undefined ? { poolHint } : {}))) throw new NotFoundException(`Key '${arn}' does not exist`);
  dryRun(input.DryRun);
  return { KeyId: arn, Plaintext: plaintext.toString('base64'), EncryptionAlgorithm: 'SYMMETRIC_DEFAULT' };
});
