import type { DeleteIdentitiesInput, DeleteIdentitiesResponse } from '@aws-sdk/client-cognito-identity';
import { action } from '../../wire/actions.js';
import { deleteIdentities } from '../../identity/identities.js';

/** Deletes 1–60 identities; ids that do not exist are already gone, so nothing is left unprocessed. */
export default action<DeleteIdentitiesInput, DeleteIdentitiesResponse>(async (input, { app }) => {
  await deleteIdentities(app, input.IdentityIdsToDelete!);
  return { UnprocessedIdentityIds: [] };
});
