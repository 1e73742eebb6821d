import type { UnlinkDeveloperIdentityInput } from '@aws-sdk/client-cognito-identity';
import { action } from '../../wire/actions.js';
import { unlinkDeveloperIdentity } from '../../identity/developer.js';

/** Signed. Removes one developer user identifier from the identity (seen again, that user is a new identity). */
export default action<UnlinkDeveloperIdentityInput, Record<string, never>>(async (input, { app }) => {
  await unlinkDeveloperIdentity(app, {
    IdentityPoolId: input.IdentityPoolId!,
    IdentityId: input.IdentityId!,
    DeveloperProviderName: input.DeveloperProviderName!,
    DeveloperUserIdentifier: input.DeveloperUserIdentifier!,
  });
  return {};
});
