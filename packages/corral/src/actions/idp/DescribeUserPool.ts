// DescribeUserPool: the pool's settings, defaults filled in, and its estimated number of users.
import type { DescribeUserPoolRequest, DescribeUserPoolResponse } from '@aws-sdk/client-cognito-identity-provider';
import { action } from '../../wire/actions.js';
import { describePool, requirePool } from '../../domain/pools.js';

export default action<DescribeUserPoolRequest, DescribeUserPoolResponse>(async (input, ctx) => {
  const pool = await requirePool(ctx.app, input.UserPoolId!);
  return { UserPool: await describePool(ctx.app, pool) };
});
