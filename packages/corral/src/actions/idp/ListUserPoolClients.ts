// ListUserPoolClients: pages of {ClientId, UserPoolId, ClientName} (MaxResults 0–60; 0 or none means 60).
import type { ListUserPoolClientsRequest, ListUserPoolClientsResponse } from '@aws-sdk/client-cognito-identity-provider';
import { action } from '../../wire/actions.js';
import { afterToken, pageToken, requirePool } from '../../domain/pools.js';

export default action<ListUserPoolClientsRequest, ListUserPoolClientsResponse>(async (input, ctx) => {
  const pool = await requirePool(ctx.app, input.UserPoolId!);
  const max = input.MaxResults || 60;
  const rows = await ctx.app.store.pools.listClients(pool.id, max + 1, afterToken(input.NextToken));
  const page = rows.slice(0, max);
  return {
    UserPoolClients: page.map((r) => ({ ClientId: r.id, UserPoolId: pool.id, ClientName: r.name })),
    ...(rows.length > page.length ? { NextToken: pageToken(page[page.length - 1]!.id) } : {}),
  };
});
