// ListUserPools: pages of pool descriptions (id, name, Lambda triggers, dates), MaxResults 1–60.
import type { ListUserPoolsRequest, ListUserPoolsResponse } from '@aws-sdk/client-cognito-identity-provider';
import { action } from '../../wire/actions.js';
import { afterToken, pageToken } from '../../domain/pools.js';

export default action<ListUserPoolsRequest, ListUserPoolsResponse>(async (input, ctx) => {
  const pools = await ctx.app.store.pools.list(input.MaxResults! + 1, afterToken(input.NextToken));
  const page = pools.slice(0, input.MaxResults);
  return {
    UserPools: page.map(({ id, name, settings: s }) => ({
      Id: id,
      Name: name,
      LambdaConfig: s.LambdaConfig ?? {},
      LastModifiedDate: s.LastModifiedDate,
      CreationDate: s.CreationDate,
    })),
    ...(pools.length > page.length ? { NextToken: pageToken(page[page.length - 1]!.id) } : {}),
  };
});
