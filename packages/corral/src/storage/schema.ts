// The database's tables: one interface per table, as the migrations (storage/migrations) have built them.
// Only storage/ reads these; the layers above see the repositories' records.

export interface UserPoolsTable {
  id: string;
  name: string;
  /** The pool's settings as Cognito describes them (UserPoolType without the computed members), as JSON. */
  settings: string;
  created_at: number;
  updated_at: number;
}

export interface UserPoolClientsTable {
  id: string;
  pool_id: string;
  name: string;
  /** The client secret, encrypted at rest (null when the client has none). */
  secret: string | null;
  /** UserPoolClientType without ids, name, secret and dates, as JSON. */
  settings: string;
  created_at: number;
  updated_at: number;
}

export interface IdentityPoolsTable {
  id: string;
  name: string;
  /** IdentityPool settings as JSON. */
  settings: string;
  /** Roles and role mappings as JSON ({Roles, RoleMappings}). */
  roles: string;
  created_at: number;
  updated_at: number;
}

export interface UsersTable {
  /** The user's `sub` (a UUID). */
  id: string;
  pool_id: string;
  /** The username as created (for UsernameAttributes pools: the sub). */
  username: string;
  /** The username as compared: lower-cased in case-insensitive pools. Unique per pool. */
  username_key: string;
  status: string;
  enabled: number;
  /** All attributes as JSON `Record<string, string>` (custom values are strings; `*_verified` are "true"/"false"). */
  attributes: string;
  /** SRP salt (hex) and verifier (encrypted at rest); null for users without a password. */
  srp_salt: string | null;
  srp_verifier: string | null;
  /** MFA settings as JSON (preferences; TOTP secret encrypted). */
  mfa: string | null;
  /** Tokens issued before this instant (epoch ms) are refused (GlobalSignOut, AdminUserGlobalSignOut). */
  tokens_valid_after: number;
  failed_attempts: number;
  last_failed_at: number | null;
  created_at: number;
  updated_at: number;
  /** Email / phone_number values waiting for verification before they replace the current ones, as JSON
   *  `Record<string, string>` (AttributesRequireVerificationBeforeUpdate); null when none (0017). */
  pending_attributes: string | null;
}

export interface UserAliasesTable {
  pool_id: string;
  /** `email`, `phone_number` or `preferred_username`. */
  attribute: string;
  /** The value as compared (emails lower-cased). */
  value_key: string;
  user_id: string;
}

/** One searchable attribute value of a user (0020): what ListUsers' filters on the six attribute-based names
 *  (email, phone_number, name, given_name, family_name, preferred_username) read, by index, instead of the users. */
export interface UserSearchTable {
  pool_id: string;
  /** One of SEARCH_ATTRIBUTES (storage/users.ts). */
  attribute: string;
  /** The value as stored in the user's attributes (case kept), at most SEARCH_VALUE_MAX code points of it.
   *  On PostgreSQL the column's collation is "C" (byte order), so a prefix is one index range. */
  value: string;
  user_id: string;
}

export interface SigningKeysTable {
  kid: string;
  pool_id: string;
  /** 'id' or 'access': Cognito signs the two token types with different keys. */
  use: string;
  /** PKCS#8 PEM of the RSA private key, encrypted at rest (crypto/box.ts, purpose 'signing-key'). */
  private_key: string;
  /** The public JWK as JSON ({kid, alg, kty, use, n, e}). */
  public_jwk: string;
  created_at: number;
  /** When a newer key took over signing (null: the key signs new tokens). */
  retired_at: number | null;
  /** After this instant the key is dropped from the JWKS and verifies nothing (null: no end yet). */
  expires_at: number | null;
}

export interface RefreshTokensTable {
  /** keyedHash of the opaque token (the token itself is never stored). */
  token_hash: string;
  pool_id: string;
  client_id: string;
  user_sub: string;
  username: string;
  /** origin_jti of every ID/access token this refresh token yields; revoking it revokes them. */
  origin_jti: string;
  /** Epoch ms of the original authentication (auth_time keeps it across refreshes). */
  auth_time: number;
  created_at: number;
  expires_at: number;
  revoked_at: number | null;
  device_key: string | null;
  /** keyedHash of the challenge answer this sign-in spent (unique), when it was spent with this token. */
  spent_session: string | null;
}

export interface OutboxTable {
  /** Sortable id: the creation time and a per-process counter lead, so ordering by id is ordering by sending. */
  id: string;
  pool_id: string;
  /** `EMAIL` or `SMS`. */
  medium: string;
  /** Why it was sent: `SignUp`, `ForgotPassword`, `AdminCreateUser`, … */
  kind: string;
  /** Keyed hash of the destination (emails lowercased), to find a recipient's messages without storing the address. */
  recipient_hash: string;
  /** Recipient, username, subject and body, encrypted with the server key (messaging/outbox.ts): never in clear. */
  sealed: string;
  created_at: number;
  /** When the code the message carries expires (at most the retention): the row is deleted then. */
  expires_at: number;
}

export interface CodesTable {
  pool_id: string;
  /** The user's sub (users.id). */
  user_id: string;
  /** `signup`, `forgot_password`, `verify_email`, `verify_phone_number`, … */
  purpose: string;
  /** keyedHash of the code, bound to pool, user and purpose. */
  code_hash: string;
  /** Epoch milliseconds after which the code is refused. */
  expires_at: number;
  /** Attempts counted against this code (raised atomically before each comparison). */
  tries: number;
  created_at: number;
}

export interface GroupsTable {
  pool_id: string;
  /** The group name as given (compared exactly: group names are case-sensitive). */
  name: string;
  description: string | null;
  role_arn: string | null;
  /** 0 is the highest precedence; null ranks below every number. */
  precedence: number | null;
  created_at: number;
  updated_at: number;
}

export interface GroupMembersTable {
  pool_id: string;
  group_name: string;
  /** The member's sub (users.id). */
  user_id: string;
  /** The member's users.username_key (usernames never change): ListUsersInGroup's order (0020). */
  username_key: string;
}

export interface IdentitiesTable {
  /** `<region>:<uuid>`. */
  id: string;
  pool_id: string;
  created_at: number;
  updated_at: number;
}

export interface IdentityLoginsTable {
  identity_id: string;
  pool_id: string;
  /** Canonical provider name (`cognito-idp.<region>.amazonaws.com/<userPoolId>`). */
  provider: string;
  /** The user's id at the provider (the user pool `sub`). */
  subject: string;
  created_at: number;
}

export interface IdentitySigningKeysTable {
  kid: string;
  /** 'openid': the key of GetOpenIdToken's tokens. */
  use: string;
  /** PKCS#8 PEM, encrypted at rest (crypto/box.ts, purpose 'signing-key'). */
  private_key: string;
  public_jwk: string;
  created_at: number;
  retired_at: number | null;
  expires_at: number | null;
}

export interface SpentSessionsTable {
  /** keyedHash of the sealed token. */
  token_hash: string;
  /** When the token itself expires (epoch ms): after that the row is useless and may go. */
  expires_at: number;
}

export interface DevicesTable {
  /** `<region>_<uuid>`, as Cognito's DeviceKey. */
  device_key: string;
  pool_id: string;
  /** The owner's sub (users.id). */
  user_id: string;
  /** DeviceGroupKey: the device SRP's "pool name". */
  group_key: string;
  /** Salt as hex of the bytes the client sent (base64) in DeviceSecretVerifierConfig. */
  srp_salt: string;
  /** The device's SRP verifier, encrypted (crypto/box.ts, purpose 'device-verifier'). */
  srp_verifier: string;
  /** DeviceName at ConfirmDevice (null when none was given). */
  name: string | null;
  /** Other device attributes as a JSON object of strings (e.g. last_ip_used). */
  attributes: string;
  /** 'valid' (confirmed, no choice yet), 'remembered' or 'not_remembered'. */
  status: string;
  created_at: number;
  updated_at: number;
  last_authenticated_at: number | null;
}

export interface UserPoolDomainsTable {
  /** The prefix (globally unique, like Cognito's `<prefix>.auth.<region>.amazoncognito.com`). */
  domain: string;
  pool_id: string;
  managed_login_version: number;
  created_at: number;
}

export interface ResourceServersTable {
  pool_id: string;
  identifier: string;
  name: string;
  /** JSON: [{ ScopeName, ScopeDescription }]. */
  scopes: string;
  created_at: number;
  updated_at: number;
}

export interface OAuthCodesTable {
  /** keyedHash of the code. */
  code_hash: string;
  pool_id: string;
  client_id: string;
  user_sub: string;
  redirect_uri: string;
  /** Space-separated granted scopes. */
  scope: string;
  code_challenge: string | null;
  code_challenge_method: string | null;
  nonce: string | null;
  /** Epoch ms of the sign-in. */
  auth_time: number;
  expires_at: number;
  /** Set when the code is redeemed (a second redemption is refused). */
  used_at: number | null;
  /** The sign-in the code produced (its tokens are revoked when the code is replayed). */
  origin_jti: string | null;
}

export interface OAuthSessionsTable {
  origin_jti: string;
  pool_id: string;
  scope: string;
  created_at: number;
}

/** The fingerprint of the server key the database's secrets are encrypted with (one row; 0015). */
export interface ServerKeyTable {
  id: string;
  fingerprint: string;
  created_at: number;
}

/** A request counter of one window (rate limits; 0016): the key names the counter and its window. */
export interface CountersTable {
  key: string;
  n: number;
  /** When the window ends (epoch ms): after that the row counts nothing and may go. */
  expires_at: number;
}

/** A run of a trigger function (0019): never its event, which carries passwords and codes. */
export interface InvocationsTable {
  /** Sortable id: the start time leads, so ordering by id is ordering by start. */
  id: string;
  function_name: string;
  trigger_source: string;
  pool_id: string;
  /** Epoch ms. */
  started_at: number;
  duration_ms: number;
  /** `Succeeded`, `Failed`, `TimedOut` or `Unavailable`. */
  outcome: string;
  /** The failure's message, at most 1 KiB of UTF-8; null on success. */
  error_message: string | null;
  /** What the function printed (0022), at most 4 KiB of UTF-8; null when nothing, and on all but the newest 100 of a
   *  function. It is the function's output: a function that prints its event prints what the event carries. */
  logs: string | null;
}

/** A user import job (0021): CreateUserImportJob's job, its progress, and which instance runs it. */
export interface UserImportJobsTable {
  /** `import-<random>`. */
  id: string;
  pool_id: string;
  name: string;
  role_arn: string;
  /** Created, Pending, InProgress, Stopping, Stopped, Failed, Succeeded or Expired. */
  status: string;
  /** 1 while Pending, InProgress or Stopping, else null: unique, so one job at a time is active. */
  active: number | null;
  created_at: number;
  started_at: number | null;
  completed_at: number | null;
  imported: number;
  skipped: number;
  failed: number;
  completion_message: string | null;
  /** The instance running the job, and until when it holds it (renewed by each batch). */
  owner: string | null;
  lease_until: number | null;
  /** Data lines of the file done (the header not counted): where a taken-over job goes on. */
  next_line: number;
  /** The complete upload the job reads (its chunks in user_import_chunks); null: nothing uploaded yet. */
  upload_id: string | null;
  uploaded_at: number | null;
  upload_bytes: number;
  /** Non-empty lines after the header. */
  upload_rows: number;
  /** Why the uploaded file cannot be read (not UTF-8, …): the job fails with it. */
  upload_error: string | null;
}

/** A piece of an uploaded CSV file (0021): about 1 MiB of its text, cut between characters. */
export interface UserImportChunksTable {
  job_id: string;
  upload_id: string;
  seq: number;
  data: string;
}

/** A user pool's identity provider (0023). ProviderDetails without secrets as JSON; the secrets (client_secret,
 *  private_key) as JSON encrypted at rest (null when none); AttributeMapping as JSON. */
export interface IdentityProvidersTable {
  pool_id: string;
  name: string;
  type: string;
  details: string;
  secrets: string | null;
  attribute_mapping: string;
  created_at: number;
  updated_at: number;
}

/** One IdpIdentifier of a provider (0023), unique in its pool; `position` keeps the order given. */
export interface IdentityProviderIdentifiersTable {
  pool_id: string;
  identifier: string;
  provider_name: string;
  position: number;
}

/** An external identity linked to a user of the pool by AdminLinkProviderForUser (0023). */
export interface IdentityProviderLinksTable {
  pool_id: string;
  provider_name: string;
  /** `Cognito_Subject`, or the user pool attribute a SAML/OIDC claim is mapped to. */
  attribute_name: string;
  attribute_value: string;
  user_sub: string;
  created_at: number;
}

/** The external identity a federated user belongs to (0027): provider and the id its username ends with. */
export interface FederatedUsersTable {
  pool_id: string;
  provider_name: string;
  user_id: string;
  user_sub: string;
  created_at: number;
}

/** A user pool's SAML key pair (0026): 'signing' (AuthnRequests, GetSigningCertificate) or 'encryption'. */
export interface SamlKeysTable {
  pool_id: string;
  use: string;
  /** PEM. */
  certificate: string;
  /** PKCS#8 PEM, encrypted with the server key. */
  private_key: string;
  created_at: number;
}

/** An AuthnRequest awaiting its response (0026). */
export interface SamlRequestsTable {
  id: string;
  pool_id: string;
  provider_name: string;
  /** The app's authorization request (JSON). */
  request: string;
  browser_hash: string;
  expires_at: number;
}

/** A user's passkey (0024): the WebAuthn credential, its COSE public key (base64url), sign count and where it
 *  works (relying party id). */
export interface WebAuthnCredentialsTable {
  pool_id: string;
  /** base64url, unique in the pool. */
  credential_id: string;
  /** The owner's sub (users.id). */
  user_id: string;
  public_key: string;
  sign_count: number;
  /** JSON array of AuthenticatorTransport strings. */
  transports: string;
  attachment: string | null;
  friendly_name: string;
  relying_party_id: string;
  created_at: number;
  last_used_at: number | null;
}

export interface DB {
  user_pools: UserPoolsTable;
  user_pool_clients: UserPoolClientsTable;
  identity_pools: IdentityPoolsTable;
  users: UsersTable;
  user_aliases: UserAliasesTable;
  user_search: UserSearchTable;
  signing_keys: SigningKeysTable;
  refresh_tokens: RefreshTokensTable;
  outbox: OutboxTable;
  codes: CodesTable;
  groups: GroupsTable;
  group_members: GroupMembersTable;
  identities: IdentitiesTable;
  identity_logins: IdentityLoginsTable;
  identity_signing_keys: IdentitySigningKeysTable;
  spent_sessions: SpentSessionsTable;
  devices: DevicesTable;
  user_pool_domains: UserPoolDomainsTable;
  resource_servers: ResourceServersTable;
  oauth_codes: OAuthCodesTable;
  oauth_sessions: OAuthSessionsTable;
  server_key: ServerKeyTable;
  counters: CountersTable;
  invocations: InvocationsTable;
  user_import_jobs: UserImportJobsTable;
  user_import_chunks: UserImportChunksTable;
  webauthn_credentials: WebAuthnCredentialsTable;
  saml_keys: SamlKeysTable;
  saml_requests: SamlRequestsTable;
  identity_providers: IdentityProvidersTable;
  identity_provider_identifiers: IdentityProviderIdentifiersTable;
  identity_provider_links: IdentityProviderLinksTable;
  federated_users: FederatedUsersTable;
}
