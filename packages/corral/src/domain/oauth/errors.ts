// OAuth 2.0 error answers (RFC 6749 §5.2): `{ "error": "<code>" }`, with Cognito's status codes (400 for every token
// endpoint fault; the userInfo endpoint answers 401 invalid_token).
export type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'invalid_scope'
  | 'unsupported_token_type'
  | 'invalid_token'
  | 'unsupported_response_type'
  | 'login_required'
  | 'redirect_mismatch';

export class OAuthError extends Error {
  constructor(
    readonly error: OAuthErrorCode,
    readonly description: string,
    readonly status = 400,
  ) {
    super(description);
  }
}
