// Corral's own admin API (not Cognito's): the console's mailbox, functions registry and signing-key rotation, served
// by the same wire as Cognito's (POST /, `X-Amz-Target: CorralAdmin.<Action>`, AWS JSON 1.1, SigV4 with signing name
// `corral` and the admin key pair). Written by hand in the shape scripts/compile-models.mjs gives the AWS models (it
// has no Smithy source); the console's types are apps/console/src/lib/corral-admin.ts. Timestamps are epoch seconds.
import type { ServiceModel } from '../model.js';

const ERRORS = ['InternalErrorException', 'InvalidParameterException', 'NotAuthorizedException', 'TooManyRequestsException'];
const required = { required: {} } as const;

export const corralModel: ServiceModel = {
  targetPrefix: 'CorralAdmin',
  signingName: 'corral',
  operations: {
    ListMessages: { input: 'ListMessagesRequest', output: 'ListMessagesResponse', errors: ERRORS, signed: true },
    ListFunctions: { input: 'ListFunctionsRequest', output: 'ListFunctionsResponse', errors: ERRORS, signed: true },
    ListFunctionInvocations: { input: 'ListFunctionInvocationsRequest', output: 'ListFunctionInvocationsResponse', errors: ERRORS, signed: true },
    RotateSigningKeys: {
      input: 'RotateSigningKeysRequest',
      output: 'RotateSigningKeysResponse',
      errors: [...ERRORS, 'ResourceNotFoundException'],
      signed: true,
    },
  },
  shapes: {
    // Inputs
    ListMessagesRequest: {
      type: 'structure',
      members: {
        UserPoolId: { target: 'UserPoolIdType' },
        Recipient: { target: 'RecipientType' },
        MaxResults: { target: 'MessagesMaxResultsType' },
      },
    },
    ListFunctionsRequest: { type: 'structure', members: {} },
    ListFunctionInvocationsRequest: {
      type: 'structure',
      members: {
        FunctionName: { target: 'FunctionNameType' },
        MaxResults: { target: 'InvocationsMaxResultsType' },
      },
    },
    RotateSigningKeysRequest: { type: 'structure', members: { UserPoolId: { target: 'UserPoolIdType', traits: required } } },

    // Outputs
    ListMessagesResponse: { type: 'structure', members: { Messages: { target: 'MessageListType', traits: required } } },
    ListFunctionsResponse: { type: 'structure', members: { Functions: { target: 'FunctionListType', traits: required } } },
    ListFunctionInvocationsResponse: { type: 'structure', members: { Invocations: { target: 'InvocationListType', traits: required } } },
    RotateSigningKeysResponse: { type: 'structure', members: { KeyIds: { target: 'KeyIdListType', traits: required } } },

    MessageListType: { type: 'list', member: 'OutboxMessageType' },
    OutboxMessageType: {
      type: 'structure',
      members: {
        Id: { target: 'StringType', traits: required },
        UserPoolId: { target: 'StringType', traits: required },
        Medium: { target: 'MediumType', traits: required },
        To: { target: 'StringType', traits: required },
        Subject: { target: 'StringType' },
        Body: { target: 'StringType', traits: required },
        Kind: { target: 'StringType', traits: required },
        Username: { target: 'StringType' },
        Code: { target: 'StringType', traits: { sensitive: {} } },
        CreatedAt: { target: 'DateType', traits: required },
      },
    },
    MediumType: {
      type: 'enum',
      members: { EMAIL: { target: 'smithy.api#Unit', traits: { enumValue: 'email' } }, SMS: { target: 'smithy.api#Unit', traits: { enumValue: 'sms' } } },
    },
    FunctionListType: { type: 'list', member: 'FunctionType' },
    FunctionType: {
      type: 'structure',
      members: {
        Name: { target: 'StringType', traits: required },
        Runtime: { target: 'FunctionRuntimeType', traits: required },
        Handler: { target: 'StringType', traits: required },
        Source: { target: 'FunctionSourceType', traits: required },
      },
    },
    FunctionRuntimeType: {
      type: 'enum',
      members: {
        NODEJS: { target: 'smithy.api#Unit', traits: { enumValue: 'nodejs' } },
        PYTHON: { target: 'smithy.api#Unit', traits: { enumValue: 'python' } },
        HTTP: { target: 'smithy.api#Unit', traits: { enumValue: 'http' } },
      },
    },
    FunctionSourceType: {
      type: 'enum',
      members: {
        CONFIG: { target: 'smithy.api#Unit', traits: { enumValue: 'config' } },
        DIRECTORY: { target: 'smithy.api#Unit', traits: { enumValue: 'directory' } },
      },
    },
    InvocationListType: { type: 'list', member: 'InvocationType' },
    InvocationType: {
      type: 'structure',
      members: {
        Id: { target: 'StringType', traits: required },
        FunctionName: { target: 'StringType', traits: required },
        TriggerSource: { target: 'StringType', traits: required },
        UserPoolId: { target: 'StringType', traits: required },
        StartedAt: { target: 'DateType', traits: required },
        DurationMs: { target: 'DurationType', traits: required },
        Outcome: { target: 'InvocationOutcomeType', traits: required },
        ErrorMessage: { target: 'StringType' },
        Logs: { target: 'StringType' },
      },
    },
    InvocationOutcomeType: {
      type: 'enum',
      members: {
        SUCCEEDED: { target: 'smithy.api#Unit', traits: { enumValue: 'Succeeded' } },
        FAILED: { target: 'smithy.api#Unit', traits: { enumValue: 'Failed' } },
        TIMED_OUT: { target: 'smithy.api#Unit', traits: { enumValue: 'TimedOut' } },
        UNAVAILABLE: { target: 'smithy.api#Unit', traits: { enumValue: 'Unavailable' } },
      },
    },
    KeyIdListType: { type: 'list', member: 'StringType' },

    // Simple shapes (the user-pool model's where they are the same)
    UserPoolIdType: { type: 'string', traits: { length: { min: 1, max: 55 }, pattern: '^[\\w-]+_[0-9a-zA-Z]+$' } },
    RecipientType: { type: 'string', traits: { length: { min: 1, max: 2048 } } },
    FunctionNameType: { type: 'string', traits: { length: { min: 1, max: 2048 } } },
    MessagesMaxResultsType: { type: 'integer', traits: { range: { min: 1, max: 60 } } },
    InvocationsMaxResultsType: { type: 'integer', traits: { range: { min: 1, max: 100 } } },
    StringType: { type: 'string' },
    DateType: { type: 'timestamp' },
    DurationType: { type: 'long' },
    MessageType: { type: 'string' },

    // Errors: Cognito's
    InternalErrorException: { type: 'structure', traits: { error: 'server' }, members: { message: { target: 'MessageType' } } },
    InvalidParameterException: {
      type: 'structure',
      traits: { error: 'client', httpError: 400 },
      members: { message: { target: 'MessageType' }, reasonCode: { target: 'MessageType' } },
    },
    NotAuthorizedException: { type: 'structure', traits: { error: 'client', httpError: 403 }, members: { message: { target: 'MessageType' } } },
    ResourceNotFoundException: { type: 'structure', traits: { error: 'client', httpError: 404 }, members: { message: { target: 'MessageType' } } },
    TooManyRequestsException: { type: 'structure', traits: { error: 'client', httpError: 429 }, members: { message: { target: 'MessageType' } } },
  },
};
