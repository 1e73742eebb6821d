// ConfirmSignUp: the code sent at sign-up confirms the user and verifies the attribute it went to; the Session it
// returns (clients with ALLOW_USER_AUTH) signs the user in with USER_AUTH right after.
import type { ConfirmSignUpRequest, ConfirmSignUpResponse } from '@aws-sdk/client-cognito-identity-provider';
import { action } from '../../wire/actions.js';
import { AliasExistsException, CodeMismatchException, NotAuthorizedException } from '../../errors.js';
import { codeFlowUser, publicCall } from '../../domain/public-call.js';
import { consumeCode, MESSAGES, restoreCode } from '../../domain/codes.js';
import { decoyAliasCheck, decoyWrites } from '../../domain/user-existence.js';
import { checkAliasesFree, updateUser } from '../../domain/users.js';
import { verificationTarget } from '../../domain/signup-rules.js';
import { postConfirmation } from '../../triggers/index.js';
import { signUpSession } from '../../domain/signup-session.js';

export default action<ConfirmSignUpRequest, ConfirmSignUpResponse>(async (input, { app }) => {
  const call = await publicCall(app, input.ClientId!, input.Username!, input.SecretHash);
  const { pool } = call;
  // With PreventUserExistenceErrors, nobody by that name is answered as a wrong code is, after the same write
  // (the code try) as for an unconfirmed user (user-existence.ts).
  const user = await codeFlowUser(app, call, input.Username!, async () => {
    await decoyAliasCheck(app, pool);
    await decoyWrites(app, 1);
    throw new CodeMismatchException(MESSAGES.mismatch);
  });
  if (user.status !== 'UNCONFIRMED') {
    throw new NotAuthorizedException(`User cannot be confirmed. Current status is ${user.status}`);
  }
  const target = verificationTarget(pool, user.attributes);
  const verified = target ? { [`${target}_verified`]: 'true' } : {};
  // The code stays valid when the alias is taken, so the user can retry with ForceAliasCreation.
  if (!input.ForceAliasCreation) await checkAliasesFree(app, pool, user.sub, { ...user.attributes, ...verified });
  const owner = { poolId: pool.id, userId: user.sub, purpose: 'signup' as const };
  const spent = await consumeCode(app, { ...owner, code: input.ConfirmationCode! });
  const confirmed = await updateUser(app, pool, user, { status: 'CONFIRMED', set: verified }, input.ForceAliasCreation ?? false).catch(async (err: unknown) => {
    // The alias was taken meanwhile: the code stays valid, as the check above promises.
    if (err instanceof AliasExistsException) await restoreCode(app, owner, spent);
    throw err;
  });
  await postConfirmation(app, pool, confirmed, 'PostConfirmation_ConfirmSignUp', { clientId: call.client.id, clientMetadata: input.ClientMetadata });
  // A client with USER_AUTH gets a Session that signs the user in once (InitiateAuth USER_AUTH with Session).
  return call.client.settings.ExplicitAuthFlows?.includes('ALLOW_USER_AUTH') ? { Session: signUpSession(app, call.client, confirmed) } : {};
});
