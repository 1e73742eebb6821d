import type { MergeDeveloperIdentitiesInput, MergeDeveloperIdentitiesResponse } from '@aws-sdk/client-cognito-identity';
import { action } from '../../wire/actions.js';
import { mergeDeveloperIdentities } from '../../identity/developer.js';

/** Signed. The source user's identity merged into the destination user's; → the destination identity. */
export default action<MergeDeveloperIdentitiesInput, MergeDeveloperIdentitiesResponse>(async (input, { app }) => ({
  IdentityId: await mergeDeveloperIdentities(app, {
    IdentityPoolId: input.IdentityPoolId!,
    DeveloperProviderName: input.DeveloperProviderName!,
    SourceUserIdentifier: input.SourceUserIdentifier!,
    DestinationUserIdentifier: input.DestinationUserIdentifier!,
  }),
}));
