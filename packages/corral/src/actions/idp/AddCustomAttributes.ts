// AddCustomAttributes: appends `custom:` (or `dev:`) attributes to a pool's schema, at most 50 in all.
import type { AddCustomAttributesRequest, AddCustomAttributesResponse } from '@aws-sdk/client-cognito-identity-provider';
import { action } from '../../wire/actions.js';
import { poolSchema, withCustomAttributes } from '../../domain/attribute-schema.js';
import { requirePool, savePool } from '../../domain/pools.js';

export default action<AddCustomAttributesRequest, AddCustomAttributesResponse>(async (input, ctx) => {
  const pool = await requirePool(ctx.app, input.UserPoolId!);
  pool.settings = {
    ...pool.settings,
    SchemaAttributes: withCustomAttributes(poolSchema(pool), input.CustomAttributes!),
    LastModifiedDate: new Date(ctx.app.now()),
  };
  await savePool(ctx.app, pool);
  return {};
});
