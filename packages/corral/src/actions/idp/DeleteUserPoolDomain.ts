// DeleteUserPoolDomain: removes the pool's domain; its OAuth endpoints are gone with it.
import type { DeleteUserPoolDomainRequest, DeleteUserPoolDomainResponse } from '@aws-sdk/client-cognito-identity-provider';
import { action } from '../../wire/actions.js';
import { deleteDomain } from '../../domain/oauth/domains.js';
import { requirePool } from '../../domain/pools.js';

export default action<DeleteUserPoolDomainRequest, DeleteUserPoolDomainResponse>(async (input, { app }) => {
  const pool = await requirePool(app, input.UserPoolId!);
  await deleteDomain(app, pool.id, input.Domain!);
  return {};
});
