// A federated sign-in that cannot finish: the provider refused, its answer failed a check, or Corral's rules refused
// the user (required attributes missing, a trigger's refusal, a disabled user). The app gets it at its redirect_uri as
// Cognito sends it: `?error_description=…&error=…` (federation-endpoint-idp-responses in the Cognito guide).
export class FederationError extends Error {
  constructor(
    readonly error: string,
    readonly description: string,
  ) {
    super(description);
  }
}
