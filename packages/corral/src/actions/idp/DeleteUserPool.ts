// DeleteUserPool: refused while deletion protection is active or while the pool has a domain; deletes the pool's
// clients and users with it.
import type { DeleteUserPoolRequest } from '@aws-sdk/client-cognito-identity-provider';
import { action } from '../../wire/actions.js';
import { InvalidParameterException } from '../../errors.js';
import { deletePool, requirePool } from '../../domain/pools.js';
import { domainOfPool } from '../../domain/oauth/domains.js';

export default action<DeleteUserPoolRequest, Record<string, never>>(async (input, ctx) => {
  const pool = await requirePool(ctx.app, input.UserPoolId!);
  if (pool.settings.DeletionProtection === 'ACTIVE') {
    throw new InvalidParameterException(
      'The user pool cannot be deleted because deletion protection is activated. Deletion protection must be inactivated first.',
    );
  }
  // AWS's answer (rebuy-de/aws-nuke#330, hashicorp/terraform-provider-aws#16479: InvalidParameterException).
  if (await domainOfPool(ctx.app, pool.id)) {
    throw new InvalidParameterException('User pool cannot be deleted. It has a domain configured that should be deleted first.');
  }
  await deletePool(ctx.app, pool.id);
  return {};
});
