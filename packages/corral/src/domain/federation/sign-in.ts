// A sign-in through an external provider, from the app's /oauth2/authorize to its redirect_uri.
//   startFederatedSignIn   where the browser goes for the provider: OIDC/social (oidc.ts) with the upstream state
//                          sealed (state.ts: the AuthorizeRequest, nonce, PKCE verifier, provider, browser binding),
//                          SAML through saml.ts.
//   finishFederatedSignIn  GET|POST /oauth2/idpresponse: opens the state (same browser, same base), verifies the
//                          provider's answer (oidc.ts), then federatedSignIn + completeAuthorization. What fails goes to
//                          the app's redirect_uri as Cognito sends it (?error_description=…&error=…&state=…).
//   federatedSignIn        the user `<ProviderName>_<subject>` (the subject: the claim AttributeMapping's `username`
//                          names, else the provider's subject), UserStatus EXTERNAL_PROVIDER, its attributes mapped by
//                          AttributeMapping and updated at every sign-in, the `identities` attribute as Cognito stores
//                          it; reused only through the identity recorded when a sign-in made it (federated_users,
//                          links.ts federatedUserOf), never by its name alone (refused: "Already found an entry…"); a federated user holds no sign-in aliases (Cognito lets it share an email with a native
//                          user). An identity linked with AdminLinkProviderForUser signs in as the linked user (its
//                          mapped attributes are updated the same way). Triggers, as Cognito runs them for external
//                          providers: PreSignUp_ExternalProvider and PostConfirmation_ConfirmSignUp on the first
//                          sign-in, then PreAuthentication and PostAuthentication; PreTokenGeneration sees
//                          TokenGeneration_HostedAuth (domain/oauth/sessions.ts). A new federated user also joins the
//                          group `<poolId>_<ProviderName>` Cognito makes for each provider.
//   completeAuthorization  the redirect with a code (or implicit tokens): the same tail as the password sign-in.
import { randomNonce, randomPKCECodeVerifier } from 'openid-client';
import { CognitoError, GroupExistsException, NotAuthorizedException } from '../../errors.js';
import type { Corral } from '../../runtime/app.js';
import { postAuthentication, postConfirmation, preAuthentication, preSignUp } from '../../triggers/index.js';
import { poolSchema } from '../attribute-schema.js';
import { addMember, createGroup, findGroup } from '../groups.js';
import { finishAuthorization, redirectWith, type AuthorizeRequest } from '../oauth/authorize.js';
import { findClient, type Client, type Pool } from '../pools.js';
import { findUser, updateUser, usernameKey, type User } from '../users.js';
import { FederationError } from './errors.js';
import { federatedUserOf, parseIdentities, recordFederatedUser, resolveLinkedUser, type IdentityEntry } from './links.js';
import { authorizationUrl, verifyCallback } from './oidc.js';
import { findProvider, type IdentityProvider } from './providers.js';
import { startSamlSignIn } from './saml.js';
import { openState, sealState } from './state.js';

export { FederationError } from './errors.js';

/** The provider's claims/attributes (a SAML attribute with several values is a string[]). */
export type ExternalClaims = Record<string, string | string[] | undefined>;

/** Corral's callback for OIDC and social providers under `base` (what their app registrations must list). */
export function callbackUrl(app: Corral, base: string): string {
  return `${app.config.publicUrl}${base}/oauth2/idpresponse`;
}

/** The app's redirect_uri with a federation error, as Cognito sends it. */
export function failureRedirect(request: AuthorizeRequest, error: string, description: string): string {
  return redirectWith(request.redirectUri, { error_description: description, error, state: request.state });
}

/** The URL of the provider's sign-in for `request` (the browser's binding cookie value is `binding`). */
export async function startFederatedSignIn(
  app: Corral,
  pool: Pool,
  client: Client,
  request: AuthorizeRequest,
  provider: IdentityProvider,
  base: string,
  binding: string,
): Promise<string> {
  if (provider.type === 'SAML') return startSamlSignIn(app, pool, client, request, provider, base);
  const nonce = randomNonce();
  const verifier = randomPKCECodeVerifier();
  const state = sealState(app, { request, provider: provider.name, nonce, verifier, base }, binding);
  try {
    return await authorizationUrl(provider, { state, nonce, verifier, redirectUri: callbackUrl(app, base) });
  } catch (err) {
    if (err instanceof FederationError) return failureRedirect(request, err.error, err.description);
    throw err;
  }
}

export type CallbackOutcome = { kind: 'redirect'; url: string } | { kind: 'page'; status: number; error: string; description: string };

/** What Cognito's pages say when a response comes back that they cannot relate to a sign-in of this browser. */
const FOREIGN_RESPONSE = 'An error was encountered with the requested page.';

/** /oauth2/idpresponse: the provider's answer (query, or form_post body) → where the browser goes. */
export async function finishFederatedSignIn(
  app: Corral,
  pool: Pool,
  base: string,
  params: Record<string, string | undefined>,
  binding: string | undefined,
): Promise<CallbackOutcome> {
  const page = (description: string): CallbackOutcome => ({ kind: 'page', status: 400, error: 'invalid_request', description });
  const opened = openState(app, params.state, binding);
  if (!opened.ok) return page(opened.reason === 'expired' ? 'The sign-in took too long. Start the sign-in again from the application.' : FOREIGN_RESPONSE);
  const { state } = opened;
  if (state.request.poolId !== pool.id || state.base !== base) return page(FOREIGN_RESPONSE);
  const request = state.request;
  const fail = (error: string, description: string): CallbackOutcome => ({ kind: 'redirect', url: failureRedirect(request, error, description) });
  const client = await findClient(app, request.clientId);
  if (!client || client.poolId !== pool.id) return page('The app client no longer exists.');
  const provider = await findProvider(app, pool.id, state.provider);
  if (!provider || !(client.settings.SupportedIdentityProviders ?? []).includes(provider.name)) {
    return fail('invalid_request', 'Login option is not available. Please try another one');
  }
  try {
    const up = { state: params.state!, nonce: state.nonce, verifier: state.verifier, redirectUri: callbackUrl(app, base) };
    const { subject, claims } = await verifyCallback(provider, up, params);
    const user = await federatedSignIn(app, pool, client, provider, subject, claims);
    return { kind: 'redirect', url: await completeAuthorization(app, pool, client, request, user) };
  } catch (err) {
    if (err instanceof FederationError) return fail(err.error, err.description);
    if (err instanceof CognitoError) return fail('invalid_request', err.message);
    throw err;
  }
}

/** Cognito's wording when the provider's attributes leave a required attribute of the pool without a value. */
function missingRequired(pool: Pool, attributes: Record<string, string>): string[] {
  return poolSchema(pool)
    .filter((a) => a.Required && a.Name && a.Name !== 'sub' && !attributes[a.Name])
    .map((a) => a.Name!);
}

/** A SAML attribute with several values, as Cognito stores it: `[a, b]`. */
function attributeValue(v: string | string[] | undefined): string | undefined {
  if (v === undefined) return undefined;
  if (Array.isArray(v)) return v.length === 1 ? v[0] : `[${v.join(', ')}]`;
  return v;
}

/** The user pool attributes the provider's claims give, by the provider's AttributeMapping. */
export function mappedAttributes(provider: IdentityProvider, claims: ExternalClaims): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [attribute, claim] of Object.entries(provider.attributeMapping)) {
    if (attribute === 'username' || attribute === 'sub' || attribute === 'identities') continue;
    const value = attributeValue(claims[claim]);
    if (value !== undefined && value !== '') out[attribute] = value;
  }
  return out;
}

/** The `identities` attribute with this provider's identity in it (added once, with its first sign-in's date). */
function withIdentity(current: string | undefined, entry: Omit<IdentityEntry, 'primary' | 'dateCreated'>, now: number): string | undefined {
  const list = parseIdentities(current);
  if (list.some((i) => i.providerName === entry.providerName && i.userId === entry.userId)) return undefined;
  list.push({ ...entry, primary: list.length === 0, dateCreated: now });
  return JSON.stringify(list);
}

const NO_ALIASES = { derive: () => [], force: false };

/**
 * Creates or updates the federated user `<ProviderName>_<subject>` (EXTERNAL_PROVIDER, the provider's attributes
 * mapped by its AttributeMapping, `identities`), or answers the Cognito user it is linked to
 * (AdminLinkProviderForUser); refuses a disabled user; runs the triggers Cognito runs (PreSignUp_ExternalProvider,
 * PostConfirmation_ConfirmSignUp on first sign-in, PreAuthentication, PostAuthentication).
 * `opts.issuer`: the `issuer` of the identities entry (SAML: the IdP's entity ID; null otherwise).
 */
export async function federatedSignIn(
  app: Corral,
  pool: Pool,
  client: Client,
  provider: IdentityProvider,
  subject: string,
  claims: ExternalClaims,
  opts: { issuer?: string } = {},
): Promise<User> {
  const named = attributeValue(claims[provider.attributeMapping.username ?? '']);
  const userId = named && !Array.isArray(named) ? named : subject;
  const mapped = mappedAttributes(provider, claims);
  const identity = { userId, providerName: provider.name, providerType: provider.type, issuer: opts.issuer ?? null };
  const now = app.now();

  const linked = await resolveLinkedUser(app, pool, provider.name, subject, mapped);
  if (linked) {
    if (!linked.enabled) throw new NotAuthorizedException('User is disabled.');
    await preAuthentication(app, pool, client, linked, linked.username);
    const updated = await updateUser(app, pool, linked, (fresh) => {
      const identities = withIdentity(fresh.attributes.identities, identity, now);
      return { set: { ...mapped, ...(identities ? { identities } : {}) } };
    });
    await postAuthentication(app, pool, client, updated);
    return updated;
  }

  const username = `${provider.name}_${userId}`;
  // Only the user a sign-in of this identity made (recorded server-side), never another user that has the name.
  let user = await federatedUserOf(app, pool, provider.name, userId);
  if (!user && (await findUser(app, pool, username))) throw new FederationError('invalid_request', `Already found an entry for username ${username}`);
  if (!user) user = await createFederatedUser(app, pool, client, provider, username, mapped, identity, now);
  else {
    if (!user.enabled) throw new NotAuthorizedException('User is disabled.');
    const missing = missingRequired(pool, { ...user.attributes, ...mapped });
    if (missing.length) throw new FederationError('invalid_request', `attributes required: [${missing.join(', ')}]`);
    await preAuthentication(app, pool, client, user, username);
    const result = await app.store.users.update(
      pool.id,
      user.sub,
      (fresh) => {
        const identities = withIdentity(fresh.attributes.identities, identity, now);
        return { set: { ...mapped, ...(identities ? { identities } : {}) } };
      },
      NO_ALIASES,
      app.now(),
    );
    if (!result.ok) throw new NotAuthorizedException('User does not exist.');
    user = result.user;
  }
  if (!user.enabled) throw new NotAuthorizedException('User is disabled.');
  await postAuthentication(app, pool, client, user);
  return user;
}

/** The first sign-in: PreSignUp_ExternalProvider, the user, its provider group, PostConfirmation, PreAuthentication. */
async function createFederatedUser(
  app: Corral,
  pool: Pool,
  client: Client,
  provider: IdentityProvider,
  username: string,
  mapped: Record<string, string>,
  identity: Omit<IdentityEntry, 'primary' | 'dateCreated'>,
  now: number,
): Promise<User> {
  const missing = missingRequired(pool, mapped);
  if (missing.length) throw new FederationError('invalid_request', `attributes required: [${missing.join(', ')}]`);
  const pre = await preSignUp(app, pool, { source: 'PreSignUp_ExternalProvider', userName: username, clientId: client.id, attributes: mapped });
  const sub = crypto.randomUUID();
  const result = await app.store.users.create(
    {
      sub,
      poolId: pool.id,
      username,
      usernameKey: usernameKey(pool, username),
      status: 'EXTERNAL_PROVIDER',
      enabled: true,
      attributes: { sub, ...pre.attributes, identities: withIdentity(undefined, identity, now)! },
      srpSalt: null,
      srpVerifier: null,
      now: app.now(),
    },
    NO_ALIASES,
  );
  if (!result.ok) {
    // Another sign-in of the same identity created it meanwhile (it records the identity right after): sign in as
    // that user. Any other user that has the name is not this identity's.
    const existing = await awaitFederatedUser(app, pool, provider.name, identity.userId);
    if (!existing) throw new FederationError('invalid_request', `Already found an entry for username ${username}`);
    if (!existing.enabled) throw new NotAuthorizedException('User is disabled.');
    await preAuthentication(app, pool, client, existing, username);
    return existing;
  }
  const user = result.user;
  await recordFederatedUser(app, pool, provider.name, identity.userId, user);
  await joinProviderGroup(app, pool, provider, user);
  await postConfirmation(app, pool, user, 'PostConfirmation_ConfirmSignUp', { clientId: client.id });
  await preAuthentication(app, pool, client, user, username);
  return user;
}

/** The identity's federated user, waiting a little for a concurrent first sign-in to record it. */
async function awaitFederatedUser(app: Corral, pool: Pool, providerName: string, userId: string): Promise<User | undefined> {
  for (let attempt = 0; ; attempt++) {
    const user = await federatedUserOf(app, pool, providerName, userId);
    if (user || attempt >= 10) return user;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Cognito's group for a provider's users: `<poolId>_<ProviderName>`, made at its first user's sign-in. */
async function joinProviderGroup(app: Corral, pool: Pool, provider: IdentityProvider, user: User): Promise<void> {
  const name = `${pool.id}_${provider.name}`;
  let group = await findGroup(app, pool, name);
  if (!group) {
    try {
      group = await createGroup(app, pool, name, { Description: `Autogenerated group for users who sign in using ${provider.name}` });
    } catch (err) {
      if (!(err instanceof GroupExistsException)) throw err;
      group = await findGroup(app, pool, name);
    }
  }
  if (group) await addMember(app, group, user);
}

/** Finishes the app's original /oauth2/authorize request for the signed-in user: the redirect with a code (or tokens). */
export async function completeAuthorization(app: Corral, pool: Pool, client: Client, request: AuthorizeRequest, user: User): Promise<string> {
  return finishAuthorization(app, pool, client, request, user);
}
