// Cognito's API request rate quotas: which category each user-pool operation is counted in, and AWS's default
// quota for each category in requests per second. From "Quotas in Amazon Cognito", the table "Amazon Cognito user
// pools API operation categories and request rate quotas":
//   https://docs.aws.amazon.com/cognito/latest/developerguide/quotas.html#category_operations
// AWS applies these per account and Region across all user pools; Corral applies them per user pool (and to the calls
// that name no pool, such as CreateUserPool or ListUserPools, as one account-wide bucket). The special handling of
// the doc's "API operations with special request rate handling": RespondToAuthChallenge and
// AdminRespondToAuthChallenge have their own quota of three times UserAuthentication's, and only what exceeds it is
// counted towards UserAuthentication (wire/throttle.ts). Managed login's sign-in (the hosted POST /login) is counted
// in UserAuthentication, as the doc says of the hosted UI. Identity-pool operations have per-operation quotas in AWS
// and are not categorised here.

export const QUOTAS_DOC = 'https://docs.aws.amazon.com/cognito/latest/developerguide/quotas.html#category_operations';

export type QuotaCategory =
  | 'UserAuthentication'
  | 'UserCreation'
  | 'UserFederation'
  | 'UserAccountRecovery'
  | 'UserRead'
  | 'UserUpdate'
  | 'UserToken'
  | 'UserResourceRead'
  | 'UserResourceUpdate'
  | 'UserList'
  | 'UserPoolRead'
  | 'UserPoolUpdate'
  | 'UserPoolResourceRead'
  | 'UserPoolResourceUpdate'
  | 'UserPoolClientRead'
  | 'UserPoolClientUpdate'
  | 'ClientAuthentication';

/** AWS's default quota of each category, requests per second (the doc's "Default quota (RPS)"). */
export const AWS_DEFAULT_RPS: Record<QuotaCategory, number> = {
  UserAuthentication: 120,
  UserCreation: 50,
  UserFederation: 25,
  UserAccountRecovery: 30,
  UserRead: 120,
  UserUpdate: 25,
  UserToken: 120,
  UserResourceRead: 50,
  UserResourceUpdate: 25,
  UserList: 30,
  UserPoolRead: 15,
  UserPoolUpdate: 15,
  UserPoolResourceRead: 20,
  UserPoolResourceUpdate: 15,
  UserPoolClientRead: 15,
  UserPoolClientUpdate: 15,
  ClientAuthentication: 150,
};

/** RespondToAuthChallenge / AdminRespondToAuthChallenge: a quota of this many times UserAuthentication's first. */
export const CHALLENGE_RESPONSE_FACTOR = 3;

/** The operations of each category (UserFederation and ClientAuthentication are hosted endpoints, not API calls). */
export const CATEGORY_OPERATIONS: Record<QuotaCategory, readonly string[]> = {
  UserAuthentication: ['AdminInitiateAuth', 'AdminRespondToAuthChallenge', 'InitiateAuth', 'RespondToAuthChallenge', 'GetTokensFromRefreshToken'],
  UserCreation: ['AdminConfirmSignUp', 'AdminCreateUser', 'ConfirmSignUp', 'SignUp'],
  UserFederation: [],
  UserAccountRecovery: ['AdminResetUserPassword', 'AdminSetUserPassword', 'ChangePassword', 'ConfirmForgotPassword', 'ForgotPassword'],
  UserRead: ['AdminGetUser', 'GetUser', 'GetUserAuthFactors'],
  UserUpdate: [
    'AdminDeleteUser',
    'AdminDeleteUserAttributes',
    'AdminDisableProviderForUser',
    'AdminDisableUser',
    'AdminEnableUser',
    'AdminLinkProviderForUser',
    'AdminSetUserMFAPreference',
    'AdminSetUserSettings',
    'AdminUpdateUserAttributes',
    'DeleteUser',
    'DeleteUserAttributes',
    'GetUserAttributeVerificationCode',
    'ResendConfirmationCode',
    'SetUserMFAPreference',
    'SetUserSettings',
    'UpdateUserAttributes',
    'VerifyUserAttribute',
  ],
  UserToken: ['AdminUserGlobalSignOut', 'GlobalSignOut', 'RevokeToken'],
  UserResourceRead: [
    'AdminGetDevice',
    'AdminListDevices',
    'AdminListGroupsForUser',
    'AdminListUserAuthEvents',
    'GetDevice',
    'ListDevices',
    'ListWebAuthnCredentials',
  ],
  UserResourceUpdate: [
    'AdminAddUserToGroup',
    'AdminForgetDevice',
    'AdminRemoveUserFromGroup',
    'AdminUpdateAuthEventFeedback',
    'AdminUpdateDeviceStatus',
    'AssociateSoftwareToken',
    'CompleteWebAuthnRegistration',
    'ConfirmDevice',
    'DeleteWebAuthnCredential',
    'ForgetDevice',
    'StartWebAuthnRegistration',
    'UpdateAuthEventFeedback',
    'UpdateDeviceStatus',
    'VerifySoftwareToken',
  ],
  UserList: ['ListUsers', 'ListUsersInGroup'],
  UserPoolRead: ['DescribeUserPool', 'GetUserPoolMfaConfig', 'ListUserPools', 'GetLogDeliveryConfiguration'],
  UserPoolUpdate: ['AddCustomAttributes', 'CreateUserPool', 'DeleteUserPool', 'SetUserPoolMfaConfig', 'UpdateUserPool', 'SetLogDeliveryConfiguration'],
  UserPoolResourceRead: [
    'DescribeIdentityProvider',
    'DescribeManagedLoginBranding',
    'DescribeManagedLoginBrandingByClient',
    'DescribeResourceServer',
    'DescribeRiskConfiguration',
    'DescribeUserImportJob',
    'DescribeUserPoolDomain',
    'GetCSVHeader',
    'GetGroup',
    'GetIdentityProviderByIdentifier',
    'GetSigningCertificate',
    'GetUICustomization',
    'ListGroups',
    'ListIdentityProviders',
    'ListResourceServers',
    'ListTagsForResource',
    'ListUserImportJobs',
  ],
  UserPoolResourceUpdate: [
    'CreateGroup',
    'CreateIdentityProvider',
    'CreateManagedLoginBranding',
    'CreateResourceServer',
    'CreateUserImportJob',
    'CreateUserPoolDomain',
    'DeleteGroup',
    'DeleteIdentityProvider',
    'DeleteManagedLoginBranding',
    'DeleteResourceServer',
    'DeleteUserPoolDomain',
    'SetRiskConfiguration',
    'SetUICustomization',
    'StartUserImportJob',
    'StopUserImportJob',
    'TagResource',
    'UntagResource',
    'UpdateGroup',
    'UpdateIdentityProvider',
    'UpdateManagedLoginBranding',
    'UpdateResourceServer',
    'UpdateUserPoolDomain',
  ],
  UserPoolClientRead: ['DescribeUserPoolClient', 'ListUserPoolClients'],
  UserPoolClientUpdate: ['CreateUserPoolClient', 'DeleteUserPoolClient', 'UpdateUserPoolClient'],
  ClientAuthentication: [],
};

export const QUOTA_CATEGORIES = Object.keys(AWS_DEFAULT_RPS) as QuotaCategory[];

const byOperation = new Map<string, QuotaCategory>();
for (const category of QUOTA_CATEGORIES) for (const op of CATEGORY_OPERATIONS[category]) byOperation.set(op, category);

/** The quota category of a user-pool (cognito-idp) operation, or undefined for one the table does not list. */
export function categoryOf(operation: string): QuotaCategory | undefined {
  return byOperation.get(operation);
}

/** Operations answered with a challenge response: counted against 3 × UserAuthentication first. */
export function isChallengeResponse(operation: string): boolean {
  return operation === 'RespondToAuthChallenge' || operation === 'AdminRespondToAuthChallenge';
}

/**
 * Corral's default per-pool quotas: ten times AWS's default (account-wide) figures. One Corral on one machine cannot
 * serve a UserAuthentication flood of 1,200 sign-ins a second, so these stop floods without ever touching a real
 * workload, the test suite (200 SignUps at once) or the sign-in bench. `CORRAL_RATE_LIMITS=aws` applies AWS's own.
 */
export const CORRAL_DEFAULT_RPS: Record<QuotaCategory, number> = Object.fromEntries(QUOTA_CATEGORIES.map((c) => [c, AWS_DEFAULT_RPS[c] * 10])) as Record<
  QuotaCategory,
  number
>;
