// AddCustomAttributes: appends `custom:` (or `dev:custom:`) attributes to a pool's schema, at most 50 in all.
import type { AddCustomAttributesRequest, AddCustomAttributesResponse } from '@aws-sdk/client-cognito-identity-provider';
import { action } from '../../wire/actions.js';
import { poolSchema, withCustomAttributes } from '../../domain/attribute-schema.js';
import { changePool } from '../../domain/pools.js';

export default action<AddCustomAttributesRequest, AddCustomAttributesResponse>(async (input, ctx) => {
  await changePool(ctx.app, input.UserPoolId!, (pool) => ({
    ...pool,
    settings: {
      ...pool.settings,
      SchemaAttributes: withCustomAttributes(poolSchema(pool), input.CustomAttributes!),
      LastModifiedDate: new Date(ctx.app.now()),
    },
  }));
  return {};
});
