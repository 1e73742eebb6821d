// One class per exception name of the Cognito wire protocol. The class name is the wire name (`__type`);
// the transport (wire/http.ts) is the only place that turns these into responses.

export abstract class CognitoError extends Error {
  /** HTTP status. Cognito answers every client fault with 400 (whatever the model's httpError says). */
  readonly status: number = 400;
  constructor(message: string) {
    super(message);
  }
  get type(): string {
    return this.constructor.name;
  }
}

// Errors of the AWS JSON protocol itself (framing and authentication), raised before an action runs.
export class SerializationException extends CognitoError {}
export class UnknownOperationException extends CognitoError {}
export class MissingAuthenticationTokenException extends CognitoError {
  override readonly status = 403;
}
export class UnrecognizedClientException extends CognitoError {}
export class InvalidSignatureException extends CognitoError {}
export class IncompleteSignatureException extends CognitoError {}
/** cognito-identity's answer to input that breaks the model's constraints (the user-pool service answers those with
 *  InvalidParameterException); wire/validate.ts picks it per service. */
export class ValidationException extends CognitoError {}
export class RequestEntityTooLargeException extends CognitoError {
  override readonly status = 413;
}

export class InternalErrorException extends CognitoError {
  override readonly status = 500;
}

/** A Cognito action Corral does not implement yet: a clear refusal, never a fake success. */
export class NotImplementedError extends CognitoError {
  constructor(operation: string) {
    super(`Corral does not implement ${operation} yet.`);
  }
  override get type(): string {
    return 'UnsupportedOperationException';
  }
}

// Exceptions named by the Cognito user pool and identity pool API models.
export class AliasExistsException extends CognitoError {}
export class CodeDeliveryFailureException extends CognitoError {}
export class CodeMismatchException extends CognitoError {}
export class ConcurrentModificationException extends CognitoError {}
export class DeveloperUserAlreadyRegisteredException extends CognitoError {}
export class DeviceKeyExistsException extends CognitoError {}
export class DuplicateProviderException extends CognitoError {}
export class EnableSoftwareTokenMFAException extends CognitoError {}
export class ExpiredCodeException extends CognitoError {}
export class ExternalServiceException extends CognitoError {}
export class FeatureUnavailableInTierException extends CognitoError {}
export class ForbiddenException extends CognitoError {}
export class GroupExistsException extends CognitoError {}
export class InvalidEmailRoleAccessPolicyException extends CognitoError {}
export class InvalidIdentityPoolConfigurationException extends CognitoError {}
export class InvalidLambdaResponseException extends CognitoError {}
export class InvalidOAuthFlowException extends CognitoError {}
export class InvalidParameterException extends CognitoError {}
export class InvalidPasswordException extends CognitoError {}
export class InvalidSmsRoleAccessPolicyException extends CognitoError {}
export class InvalidSmsRoleTrustRelationshipException extends CognitoError {}
export class InvalidUserPoolConfigurationException extends CognitoError {}
export class LimitExceededException extends CognitoError {}
export class MFAMethodNotFoundException extends CognitoError {}
export class ManagedLoginBrandingExistsException extends CognitoError {}
export class NotAuthorizedException extends CognitoError {}
export class PasswordHistoryPolicyViolationException extends CognitoError {}
export class PasswordResetRequiredException extends CognitoError {}
export class PreconditionNotMetException extends CognitoError {}
export class RefreshTokenReuseException extends CognitoError {}
export class ResourceConflictException extends CognitoError {}
export class ResourceNotFoundException extends CognitoError {}
export class ScopeDoesNotExistException extends CognitoError {}
export class SoftwareTokenMFANotFoundException extends CognitoError {}
export class TierChangeNotAllowedException extends CognitoError {}
export class TooManyFailedAttemptsException extends CognitoError {}
export class TooManyRequestsException extends CognitoError {}
export class UnauthorizedException extends CognitoError {}
export class UnexpectedLambdaException extends CognitoError {}
export class UnsupportedIdentityProviderException extends CognitoError {}
export class UnsupportedOperationException extends CognitoError {}
export class UnsupportedTokenTypeException extends CognitoError {}
export class UnsupportedUserStateException extends CognitoError {}
export class UserImportInProgressException extends CognitoError {}
export class UserLambdaValidationException extends CognitoError {}
export class UserNotConfirmedException extends CognitoError {}
export class UserNotFoundException extends CognitoError {}
export class UserPoolAddOnNotEnabledException extends CognitoError {}
export class UserPoolTaggingException extends CognitoError {}
export class UsernameExistsException extends CognitoError {}
export class WebAuthnChallengeNotFoundException extends CognitoError {}
export class WebAuthnClientMismatchException extends CognitoError {}
export class WebAuthnConfigurationMissingException extends CognitoError {}
export class WebAuthnCredentialNotSupportedException extends CognitoError {}
export class WebAuthnNotEnabledException extends CognitoError {}
export class WebAuthnOriginNotAllowedException extends CognitoError {}
export class WebAuthnRelyingPartyMismatchException extends CognitoError {}

// Exceptions of AWS KMS (the KMS endpoint the custom sender triggers' functions decrypt codes with: actions/kms/).
export class AccessDeniedException extends CognitoError {}
export class DryRunOperationException extends CognitoError {}
export class IncorrectKeyException extends CognitoError {}
export class InvalidCiphertextException extends CognitoError {}
export class InvalidKeyUsageException extends CognitoError {}
export class NotFoundException extends CognitoError {}
