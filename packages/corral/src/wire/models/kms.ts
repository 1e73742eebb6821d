// AWS KMS, the part the AWS Encryption SDK's KMS keyring calls (GenerateDataKey, Encrypt, Decrypt) and DescribeKey:
// what a custom sender function written for AWS calls to decrypt the code Corral encrypted (triggers/custom-sender.ts,
// crypto/kms.ts). Served by the same wire as Cognito's (POST /, `X-Amz-Target: TrentService.<Action>`, AWS JSON 1.1,
// SigV4 with signing name `kms`, the admin key pair or the functions' pair: triggers/function-credentials.ts). Written
// by hand in the shape scripts/compile-models.mjs gives the AWS models, from the AWS KMS API reference (members,
// constraints and error lists of these four operations); blobs are base64 strings, timestamps epoch seconds.
import type { ServiceModel } from '../model.js';

const required = { required: {} } as const;
const COMMON = ['DependencyTimeoutException', 'KMSInternalException', 'NotFoundException'];
const CRYPTO = [
  ...COMMON,
  'DisabledException',
  'DryRunOperationException',
  'InvalidGrantTokenException',
  'InvalidKeyUsageException',
  'KeyUnavailableException',
  'KMSInvalidStateException',
];
const enumOf = (...values: string[]) => ({
  type: 'enum',
  members: Object.fromEntries(values.map((v) => [v, { target: 'smithy.api#Unit', traits: { enumValue: v } }])),
});
const error = { type: 'structure', traits: { error: 'client', httpError: 400 }, members: { message: { target: 'ErrorMessageType' } } } as const;

export const kmsModel: ServiceModel = {
  targetPrefix: 'TrentService',
  signingName: 'kms',
  operations: {
    Decrypt: {
      input: 'DecryptRequest',
      output: 'DecryptResponse',
      errors: [...CRYPTO, 'IncorrectKeyException', 'InvalidCiphertextException'],
      signed: true,
    },
    DescribeKey: { input: 'DescribeKeyRequest', output: 'DescribeKeyResponse', errors: [...COMMON, 'InvalidArnException'], signed: true },
    Encrypt: { input: 'EncryptRequest', output: 'EncryptResponse', errors: CRYPTO, signed: true },
    GenerateDataKey: { input: 'GenerateDataKeyRequest', output: 'GenerateDataKeyResponse', errors: CRYPTO, signed: true },
  },
  shapes: {
    // Inputs
    DecryptRequest: {
      type: 'structure',
      members: {
        CiphertextBlob: { target: 'CiphertextType', traits: required },
        EncryptionContext: { target: 'EncryptionContextType' },
        GrantTokens: { target: 'GrantTokenList' },
        KeyId: { target: 'KeyIdType' },
        EncryptionAlgorithm: { target: 'EncryptionAlgorithmSpec' },
        Recipient: { target: 'RecipientInfo' },
        DryRun: { target: 'NullableBooleanType' },
        DryRunModifiers: { target: 'DryRunModifierList' },
      },
    },
    DescribeKeyRequest: {
      type: 'structure',
      members: { KeyId: { target: 'KeyIdType', traits: required }, GrantTokens: { target: 'GrantTokenList' } },
    },
    EncryptRequest: {
      type: 'structure',
      members: {
        KeyId: { target: 'KeyIdType', traits: required },
        Plaintext: { target: 'PlaintextType', traits: required },
        EncryptionContext: { target: 'EncryptionContextType' },
        GrantTokens: { target: 'GrantTokenList' },
        EncryptionAlgorithm: { target: 'EncryptionAlgorithmSpec' },
        DryRun: { target: 'NullableBooleanType' },
      },
    },
    GenerateDataKeyRequest: {
      type: 'structure',
      members: {
        KeyId: { target: 'KeyIdType', traits: required },
        EncryptionContext: { target: 'EncryptionContextType' },
        NumberOfBytes: { target: 'NumberOfBytesType' },
        KeySpec: { target: 'DataKeySpec' },
        GrantTokens: { target: 'GrantTokenList' },
        Recipient: { target: 'RecipientInfo' },
        DryRun: { target: 'NullableBooleanType' },
      },
    },

    // Outputs
    DecryptResponse: {
      type: 'structure',
      members: {
        KeyId: { target: 'KeyIdType' },
        Plaintext: { target: 'PlaintextType' },
        EncryptionAlgorithm: { target: 'EncryptionAlgorithmSpec' },
        CiphertextForRecipient: { target: 'CiphertextType' },
        KeyMaterialId: { target: 'BackingKeyIdType' },
      },
    },
    DescribeKeyResponse: { type: 'structure', members: { KeyMetadata: { target: 'KeyMetadata' } } },
    EncryptResponse: {
      type: 'structure',
      members: {
        CiphertextBlob: { target: 'CiphertextType' },
        KeyId: { target: 'KeyIdType' },
        EncryptionAlgorithm: { target: 'EncryptionAlgorithmSpec' },
      },
    },
    GenerateDataKeyResponse: {
      type: 'structure',
      members: {
        CiphertextBlob: { target: 'CiphertextType' },
        Plaintext: { target: 'PlaintextType' },
        KeyId: { target: 'KeyIdType' },
        CiphertextForRecipient: { target: 'CiphertextType' },
        KeyMaterialId: { target: 'BackingKeyIdType' },
      },
    },
    KeyMetadata: {
      type: 'structure',
      members: {
        AWSAccountId: { target: 'AWSAccountIdType' },
        KeyId: { target: 'KeyIdType', traits: required },
        Arn: { target: 'ArnType' },
        CreationDate: { target: 'DateType' },
        Enabled: { target: 'BooleanType' },
        Description: { target: 'DescriptionType' },
        KeyUsage: { target: 'KeyUsageType' },
        KeyState: { target: 'KeyState' },
        Origin: { target: 'OriginType' },
        KeyManager: { target: 'KeyManagerType' },
        CustomerMasterKeySpec: { target: 'CustomerMasterKeySpec' },
        KeySpec: { target: 'KeySpec' },
        EncryptionAlgorithms: { target: 'EncryptionAlgorithmSpecList' },
        MultiRegion: { target: 'NullableBooleanType' },
      },
    },
    RecipientInfo: {
      type: 'structure',
      members: {
        KeyEncryptionAlgorithm: { target: 'KeyEncryptionMechanism' },
        AttestationDocument: { target: 'AttestationDocumentType' },
      },
    },

    // Simple shapes
    KeyIdType: { type: 'string', traits: { length: { min: 1, max: 2048 } } },
    CiphertextType: { type: 'blob', traits: { length: { min: 1, max: 6144 } } },
    PlaintextType: { type: 'blob', traits: { length: { min: 1, max: 4096 }, sensitive: {} } },
    AttestationDocumentType: { type: 'blob', traits: { length: { min: 1, max: 262144 } } },
    EncryptionContextType: { type: 'map', key: 'EncryptionContextKey', value: 'EncryptionContextValue' },
    EncryptionContextKey: { type: 'string' },
    EncryptionContextValue: { type: 'string' },
    GrantTokenList: { type: 'list', traits: { length: { min: 0, max: 10 } }, member: 'GrantTokenType' },
    GrantTokenType: { type: 'string', traits: { length: { min: 1, max: 8192 } } },
    DryRunModifierList: { type: 'list', member: 'DryRunModifierType' },
    DryRunModifierType: enumOf('IGNORE_CIPHERTEXT'),
    NumberOfBytesType: { type: 'integer', traits: { range: { min: 1, max: 1024 } } },
    DataKeySpec: enumOf('AES_256', 'AES_128'),
    EncryptionAlgorithmSpec: enumOf('SYMMETRIC_DEFAULT', 'RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256', 'SM2PKE'),
    EncryptionAlgorithmSpecList: { type: 'list', member: 'EncryptionAlgorithmSpec' },
    KeyEncryptionMechanism: enumOf('RSAES_OAEP_SHA_256'),
    KeyUsageType: enumOf('SIGN_VERIFY', 'ENCRYPT_DECRYPT', 'GENERATE_VERIFY_MAC', 'KEY_AGREEMENT'),
    KeyState: enumOf('Creating', 'Enabled', 'Disabled', 'PendingDeletion', 'PendingImport', 'PendingReplicaDeletion', 'Unavailable', 'Updating'),
    OriginType: enumOf('AWS_KMS', 'EXTERNAL', 'AWS_CLOUDHSM', 'EXTERNAL_KEY_STORE'),
    KeyManagerType: enumOf('AWS', 'CUSTOMER'),
    CustomerMasterKeySpec: enumOf(
      'RSA_2048',
      'RSA_3072',
      'RSA_4096',
      'ECC_NIST_P256',
      'ECC_NIST_P384',
      'ECC_NIST_P521',
      'ECC_SECG_P256K1',
      'SYMMETRIC_DEFAULT',
      'HMAC_224',
      'HMAC_256',
      'HMAC_384',
      'HMAC_512',
      'SM2',
    ),
    KeySpec: enumOf(
      'RSA_2048',
      'RSA_3072',
      'RSA_4096',
      'ECC_NIST_P256',
      'ECC_NIST_P384',
      'ECC_NIST_P521',
      'ECC_SECG_P256K1',
      'SYMMETRIC_DEFAULT',
      'HMAC_224',
      'HMAC_256',
      'HMAC_384',
      'HMAC_512',
      'SM2',
      'ML_DSA_44',
      'ML_DSA_65',
      'ML_DSA_87',
    ),
    AWSAccountIdType: { type: 'string' },
    ArnType: { type: 'string', traits: { length: { min: 20, max: 2048 } } },
    BackingKeyIdType: { type: 'string', traits: { length: { min: 64, max: 64 } } },
    DescriptionType: { type: 'string', traits: { length: { min: 0, max: 8192 } } },
    DateType: { type: 'timestamp' },
    BooleanType: { type: 'boolean' },
    NullableBooleanType: { type: 'boolean' },
    ErrorMessageType: { type: 'string' },

    // Errors (KMS answers every client fault with 400, as Cognito does; its internal error with 500)
    AccessDeniedException: error,
    DependencyTimeoutException: { type: 'structure', traits: { error: 'server', httpError: 503 }, members: { message: { target: 'ErrorMessageType' } } },
    DisabledException: { ...error, traits: { error: 'client', httpError: 409 } },
    DryRunOperationException: { ...error, traits: { error: 'client', httpError: 412 } },
    IncorrectKeyException: error,
    InvalidArnException: error,
    InvalidCiphertextException: error,
    InvalidGrantTokenException: error,
    InvalidKeyUsageException: error,
    KeyUnavailableException: { type: 'structure', traits: { error: 'server', httpError: 500 }, members: { message: { target: 'ErrorMessageType' } } },
    KMSInternalException: { type: 'structure', traits: { error: 'server', httpError: 500 }, members: { message: { target: 'ErrorMessageType' } } },
    KMSInvalidStateException: { ...error, traits: { error: 'client', httpError: 409 } },
    NotFoundException: { ...error, traits: { error: 'client', httpError: 404 } },
    ValidationException: error,
  },
};
