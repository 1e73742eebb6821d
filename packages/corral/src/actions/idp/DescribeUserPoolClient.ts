// DescribeUserPoolClient: the client's settings, and its secret when it has one.
import type { DescribeUserPoolClientRequest, DescribeUserPoolClientResponse } from '@aws-sdk/client-cognito-identity-provider';
import { action } from '../../wire/actions.js';
import { describeClient, requirePoolClient } from '../../domain/clients.js';
import { requirePool } from '../../domain/pools.js';

export default action<DescribeUserPoolClientRequest, DescribeUserPoolClientResponse>(async (input, ctx) => {
  await requirePool(ctx.app, input.UserPoolId!);
  return { UserPoolClient: describeClient(await requirePoolClient(ctx.app, input.UserPoolId!, input.ClientId!)) };
});
