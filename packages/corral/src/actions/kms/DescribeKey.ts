// TrentService.DescribeKey: what a key id, key ARN, alias ARN or `alias/<name>` names — a symmetric ENCRYPT_DECRYPT
// key, enabled, whose Arn is the one the Encryption SDK messages carry as their key's provider info (for an alias
// KMSKeyID, the key ARN Corral derives for it: what a sender function's KmsKeyringNode keyIds must list).
import { action } from '../../wire/actions.js';
import { authorize, requireKey } from './access.js';

interface KeyMetadata {
  AWSAccountId: string;
  KeyId: string;
  Arn: string;
  Enabled: boolean;
  Description: string;
  KeyUsage: 'ENCRYPT_DECRYPT';
  KeyState: 'Enabled';
  Origin: 'AWS_KMS';
  KeyManager: 'CUSTOMER';
  CustomerMasterKeySpec: 'SYMMETRIC_DEFAULT';
  KeySpec: 'SYMMETRIC_DEFAULT';
  EncryptionAlgorithms: ['SYMMETRIC_DEFAULT'];
  MultiRegion: false;
}

export default action<{ KeyId: string; GrantTokens?: string[] }, { KeyMetadata: KeyMetadata }>(async (input, ctx) => {
  const key = await requireKey(ctx, input.KeyId);
  authorize(ctx, 'DescribeKey', key.arn);
  return {
    KeyMetadata: {
      AWSAccountId: key.account,
      KeyId: key.id,
      Arn: key.arn,
      Enabled: true,
      Description: key.alias ? `Corral's key for ${key.alias} (a user pool's KMSKeyID)` : "Corral's key for a user pool's KMSKeyID",
      KeyUsage: 'ENCRYPT_DECRYPT',
      KeyState: 'Enabled',
      Origin: 'AWS_KMS',
      KeyManager: 'CUSTOMER',
      CustomerMasterKeySpec: 'SYMMETRIC_DEFAULT',
      KeySpec: 'SYMMETRIC_DEFAULT',
      EncryptionAlgorithms: ['SYMMETRIC_DEFAULT'],
      MultiRegion: false,
    },
  };
});
