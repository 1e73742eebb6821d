// AddCustomAttributes: appends `custom:` (or `dev:custom:`) attributes to a pool's schema, at most 50 in all.
import type { AddCustomAttributesRequest, AddCustomAttributesResponse } from '@aws-sdk/client-cognito-identity-provider';
import { action } from '../../wire/actions.js';
import { poolSchema, withCustomAttributes } from '../../domain/attribute-schema.js';
import { changePool } from '../../domain/pools.js';
import { UserImportInProgressException } from '../../errors.js';

export default action<AddCustomAttributesRequest, AddCustomAttributesResponse>(async (input, ctx) => {
  // As Cognito: the schema does not change under a running import (its rows were checked against it).
  if (await ctx.app.store.userImports.activeInPool(input.UserPoolId!)) {
    throw new UserImportInProgressException('Cannot add custom attributes while a user import job is in progress.');
  }
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
