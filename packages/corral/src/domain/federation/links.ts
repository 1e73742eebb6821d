// External identities linked to users of a pool (AdminLinkProviderForUser, AdminDisableProviderForUser), and what
// the federated sign-in (sign-in.ts) asks of them.
//
// Cognito's rules, as the API reference states them:
//   - DestinationUser is an existing user of the pool, named `{ProviderName: "Cognito", ProviderAttributeValue:
//     <username>}`; Corral refuses a destination that is itself a federated user (EXTERNAL_PROVIDER) and one with
//     immutable custom attributes set ("All attributes in the DestinationUser profile must be mutable").
//   - SourceUser is an identity of one of the pool's providers that has not signed up yet (its federated user
//     `<ProviderName>_<subject>` does not exist: "Merging is not currently supported…"). Social providers link by
//     `Cognito_Subject` (the provider's subject: Google `sub`, Facebook `id`, Login with Amazon `user_id`, Apple
//     `sub`); OIDC and SAML by `Cognito_Subject` or a user pool attribute the provider's AttributeMapping fills.
//   - An identity links to one user; a user has at most 5 linked identities (LimitExceededException).
//   - The linked user's `identities` attribute lists its links (Cognito's JSON array of
//     `{userId, providerName, providerType, issuer, primary, dateCreated}`).
//   - Once a link made on a mapped attribute has signed in, it is keyed by the subject (AdminDisableProviderForUser
//     then names it `Cognito_Subject` + subject, as the reference says for SAML).
//   - AdminDisableProviderForUser removes a link (the identity's next sign-in makes a new federated user); for an
//     identity that is not linked but has signed in, it disables that federated user (Enabled false, as
//     AdminDisableUser does: the provider's sign-ins for it are refused until AdminEnableUser).
import { InvalidParameterException, LimitExceededException, NotImplementedError, ResourceNotFoundException, UserNotFoundException } from '../../errors.js';
import type { Corral } from '../../runtime/app.js';
import type { ProviderLink } from '../../storage/identity-providers.js';
import { requireAdminUser } from '../admin-users.js';
import { schemaAttribute } from '../attribute-schema.js';
import type { Pool } from '../pools.js';
import { findUserBySub, updateUser, type User } from '../users.js';
import { findProvider, type IdentityProvider } from './providers.js';
import { SOCIAL_TYPES } from './provider-details.js';

export type { ProviderLink } from '../../storage/identity-providers.js';

export const MAX_LINKS_PER_USER = 5;
export const COGNITO_SUBJECT = 'Cognito_Subject';

/** The username Cognito gives the federated user of an identity: `<ProviderName>_<subject>`. */
export function federatedUsername(providerName: string, subject: string): string {
  return `${providerName}_${subject}`;
}

/**
 * The federated user of the identity (provider, userId: what its username `<ProviderName>_<userId>` ends with), by the
 * identity recorded when a sign-in made it (federated_users), never by the username alone: a native user may carry
 * that name, and `_` makes one username of provider `A` + `B_x` and provider `A_B` + `x`.
 */
export async function federatedUserOf(app: Corral, pool: Pool, providerName: string, userId: string): Promise<User | undefined> {
  const sub = await app.store.identityProviders.findFederatedUser(pool.id, providerName, userId);
  const user = sub === undefined ? undefined : await findUserBySub(app, pool.id, sub);
  return user?.status === 'EXTERNAL_PROVIDER' ? user : undefined;
}

/** Records that the federated user `user` is the identity (provider, userId); false when either has one already. */
export async function recordFederatedUser(app: Corral, pool: Pool, providerName: string, userId: string, user: Pick<User, 'sub'>): Promise<boolean> {
  return app.store.identityProviders.recordFederatedUser({ poolId: pool.id, providerName, userId, userSub: user.sub, createdAt: app.now() });
}

/** One entry of the `identities` attribute, as Cognito writes it. */
export interface IdentityEntry {
  userId: string;
  providerName: string;
  providerType: string;
  issuer: string | null;
  primary: boolean;
  dateCreated: number;
}

/** The user's `identities` attribute parsed (an empty list when absent or unreadable). */
export function parseIdentities(value: string | undefined): IdentityEntry[] {
  if (!value) return [];
  try {
    const list = JSON.parse(value) as unknown;
    return Array.isArray(list) ? (list as IdentityEntry[]) : [];
  } catch {
    return [];
  }
}

/** The `identities` value with `entry` added (an entry for the same provider and userId is replaced). */
export function withIdentity(value: string | undefined, entry: IdentityEntry): string {
  const list = parseIdentities(value).filter((e) => !(e.providerName === entry.providerName && e.userId === entry.userId));
  return JSON.stringify([...list, entry]);
}

/** The `identities` value without the provider's entry for `userId`. */
export function withoutIdentity(value: string | undefined, providerName: string, userId: string): string {
  return JSON.stringify(parseIdentities(value).filter((e) => !(e.providerName === providerName && e.userId === userId)));
}

/** The sub of the user the identity (provider, subject) is linked to by `Cognito_Subject`; undefined when none. */
export async function linkedUserSub(app: Corral, poolId: string, providerName: string, providerAttributeValue: string): Promise<string | undefined> {
  return (await app.store.identityProviders.findLink(poolId, providerName, COGNITO_SUBJECT, providerAttributeValue))?.userSub;
}

/**
 * For a federated sign-in: the user the identity is linked to, by its subject, or else by one of the user pool
 * attributes its claims were mapped to (`mapped`: user pool attribute → value, after AttributeMapping). A link found
 * by attribute is re-keyed to the subject, as Cognito does once the linked identity has signed in. Undefined when
 * the identity is not linked (or its user is gone).
 */
export async function resolveLinkedUser(
  app: Corral,
  pool: Pool,
  providerName: string,
  subject: string,
  mapped: Record<string, string> = {},
): Promise<User | undefined> {
  const store = app.store.identityProviders;
  let link = await store.findLink(pool.id, providerName, COGNITO_SUBJECT, subject);
  if (!link) {
    const byAttribute = Object.fromEntries(Object.entries(mapped).filter(([k, v]) => k !== COGNITO_SUBJECT && typeof v === 'string' && v));
    [link] = await store.findLinksByAttributes(pool.id, providerName, byAttribute);
    if (link && (await store.rekeyLink(link, subject))) {
      const old = link.attributeValue;
      // The user's `identities` entry follows: its userId is the subject from now on.
      return updateUser(app, pool, { sub: link.userSub }, (fresh) => {
        const entries = parseIdentities(fresh.attributes.identities);
        const entry = entries.find((e) => e.providerName === providerName && e.userId === old);
        return entry
          ? { set: { identities: withIdentity(withoutIdentity(fresh.attributes.identities, providerName, old), { ...entry, userId: subject }) } }
          : {};
      }).catch((err) => {
        if (err instanceof UserNotFoundException) return undefined;
        throw err;
      });
    }
  }
  return link && findUserBySub(app, pool.id, link.userSub);
}

/**
 * Whether AdminDisableProviderForUser disabled the identity's federated user (`<ProviderName>_<subject>` exists and
 * is disabled): federatedSignIn refuses it ("User is disabled.") instead of making a new user.
 */
export async function isProviderDisabledFor(app: Corral, pool: Pool, providerName: string, subject: string): Promise<boolean> {
  const user = await federatedUserOf(app, pool, providerName, subject);
  return !!user && !user.enabled;
}

/** The user's links, oldest first. */
export async function linksOfUser(app: Corral, user: Pick<User, 'sub'>): Promise<ProviderLink[]> {
  return app.store.identityProviders.linksOfUser(user.sub);
}

export interface ProviderUser {
  ProviderName?: string;
  ProviderAttributeName?: string;
  ProviderAttributeValue?: string;
}

const invalid = (m: string): never => {
  throw new InvalidParameterException(m);
};

async function requireSourceProvider(app: Corral, pool: Pool, name: string | undefined, role: 'SourceUser' | 'User'): Promise<IdentityProvider> {
  if (!name) return invalid(`${role}.ProviderName is required.`);
  const provider = await findProvider(app, pool.id, name);
  if (!provider) throw new ResourceNotFoundException(`Identity provider ${name} does not exist.`);
  return provider;
}

/** The attribute a SourceUser / User of the provider may be named by: Cognito_Subject, or (OIDC, SAML) a mapped one. */
function checkAttributeName(provider: IdentityProvider, name: string | undefined, role: 'SourceUser' | 'User'): string {
  if (!name) return invalid(`${role}.ProviderAttributeName is required.`);
  if (name === COGNITO_SUBJECT) return name;
  if (SOCIAL_TYPES.has(provider.type)) invalid(`${role}.ProviderAttributeName must be ${COGNITO_SUBJECT} for the ${provider.type} provider.`);
  if (!(name in provider.attributeMapping))
    invalid(`${role}.ProviderAttributeName ${name} is not an attribute the AttributeMapping of provider ${provider.name} maps.`);
  return name;
}

/** AdminLinkProviderForUser. */
export async function linkProviderForUser(app: Corral, pool: Pool, destination: ProviderUser, source: ProviderUser): Promise<void> {
  if (destination.ProviderName !== 'Cognito') invalid('DestinationUser.ProviderName must be Cognito: the destination is a user of the user pool.');
  if (!destination.ProviderAttributeValue) invalid('DestinationUser.ProviderAttributeValue (the username) is required.');
  if (source.ProviderName === 'Cognito')
    invalid('Invalid SourceUser: Cognito users with a username/password may not be passed in as a SourceUser, only as a DestinationUser');
  const provider = await requireSourceProvider(app, pool, source.ProviderName, 'SourceUser');
  const attributeName = checkAttributeName(provider, source.ProviderAttributeName, 'SourceUser');
  const value = source.ProviderAttributeValue || invalid('SourceUser.ProviderAttributeValue is required.');

  // Named as the Admin* operations name a user: username, sign-in alias or sub.
  const user = await requireAdminUser(app, pool, destination.ProviderAttributeValue!);
  if (user.status === 'EXTERNAL_PROVIDER') invalid('Invalid DestinationUser: a federated user cannot be a DestinationUser; link to a user of the user pool.');
  const immutable = Object.keys(user.attributes).find((a) => a.startsWith('custom:') && schemaAttribute(pool, a)?.Mutable === false);
  if (immutable) invalid(`Invalid DestinationUser: all its attributes must be mutable, and ${immutable} is not.`);
  if (attributeName === COGNITO_SUBJECT && (await federatedUserOf(app, pool, provider.name, value)))
    invalid('Merging is not currently supported, provide a SourceUser that has not been signed up in order to link');

  const now = app.now();
  const result = await app.store.identityProviders.createLink(
    { poolId: pool.id, providerName: provider.name, attributeName, attributeValue: value, userSub: user.sub, createdAt: now },
    MAX_LINKS_PER_USER,
  );
  if (result === 'no-user') throw new UserNotFoundException('User does not exist.');
  if (result === 'limit') throw new LimitExceededException(`A user can be linked to at most ${MAX_LINKS_PER_USER} federated identities.`);
  if (typeof result === 'object') invalid('SourceUser is already linked to DestinationUser');
  const entry: IdentityEntry = { userId: value, providerName: provider.name, providerType: provider.type, issuer: null, primary: false, dateCreated: now };
  await updateUser(app, pool, user, (fresh) => ({ set: { identities: withIdentity(fresh.attributes.identities, entry) } }));
}

/** AdminDisableProviderForUser. */
export async function disableProviderForUser(app: Corral, pool: Pool, who: ProviderUser): Promise<void> {
  if (who.ProviderName === 'Cognito') {
    // "If the user … is a native username + password user, they can't use their password to sign in": Corral does
    // not keep a per-user "password sign-in disabled" state yet; refuse rather than pretend.
    throw new NotImplementedError('AdminDisableProviderForUser for Cognito (username and password) users');
  }
  const provider = await requireSourceProvider(app, pool, who.ProviderName, 'User');
  const attributeName = checkAttributeName(provider, who.ProviderAttributeName, 'User');
  const value = who.ProviderAttributeValue || invalid('User.ProviderAttributeValue is required.');

  const removed = await app.store.identityProviders.deleteLink(pool.id, provider.name, attributeName, value);
  if (removed) {
    const user = await findUserBySub(app, pool.id, removed.userSub);
    if (user)
      await updateUser(app, pool, user, (fresh) => ({ set: { identities: withoutIdentity(fresh.attributes.identities, provider.name, value) } })).catch(
        (err) => {
          if (!(err instanceof UserNotFoundException)) throw err;
        },
      );
    return;
  }
  const federated = attributeName === COGNITO_SUBJECT ? await federatedUserOf(app, pool, provider.name, value) : undefined;
  if (!federated) throw new UserNotFoundException('User does not exist.');
  await updateUser(app, pool, federated, { enabled: false });
}
