import type { UnlinkIdentityInput } from '@aws-sdk/client-cognito-identity';
import { action } from '../../wire/actions.js';
import { authorizeIdentity, requireIdentity, unlinkLogins } from '../../identity/identities.js';

/** Unsigned. With valid Logins of the identity, removes the named providers' links (the last one orphans it). */
export default action<UnlinkIdentityInput, Record<string, never>>(async (input, { app }) => {
  const identity = await requireIdentity(app, input.IdentityId!);
  await authorizeIdentity(app, identity, input.Logins, { link: false });
  await unlinkLogins(app, identity, input.LoginsToRemove ?? []);
  return {};
});
