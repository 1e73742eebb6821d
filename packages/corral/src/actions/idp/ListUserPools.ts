// ListUserPools: pages of pool descriptions (id, name, Lambda triggers, dates), MaxResults 1–60.
import type { ListUserPoolsRequest, ListUserPoolsResponse } from '@aws-sdk/client-cognito-identity-provider';
import { action } from '../../wire/actions.js';
import { afterToken, pageToken, reviveDates } from '../../domain/pools.js';
import type { UserPoolType } from '@aws-sdk/client-cognito-identity-provider';

export default action<ListUserPoolsRequest, ListUserPoolsResponse>(async (input, ctx) => {
  const after = afterToken(input.NextToken);
  let q = ctx.app.db.selectFrom('user_pools').select(['id', 'name', 'settings']).orderBy('id').limit(input.MaxResults! + 1);
  if (after) q = q.where('id', '>', after);
  const rows = await q.execute();
  const page = rows.slice(0, input.MaxResults);
  return {
    UserPools: page.map((r) => {
      const s = reviveDates(JSON.parse(r.settings) as UserPoolType);
      return { Id: r.id, Name: r.name, LambdaConfig: s.LambdaConfig ?? {}, LastModifiedDate: s.LastModifiedDate, CreationDate: s.CreationDate };
    }),
    ...(rows.length > page.length ? { NextToken: pageToken(page[page.length - 1]!.id) } : {}),
  };
});
