// CreateUserPool: a new pool with Cognito's defaults for everything the request leaves out.
import type { CreateUserPoolRequest, CreateUserPoolResponse } from '@aws-sdk/client-cognito-identity-provider';
import { action } from '../../wire/actions.js';
import { buildSchema } from '../../domain/attribute-schema.js';
import { checkMfaSettings, mutableSettings, signInSettings } from '../../domain/pool-settings.js';
import { describePool, insertPool, newPoolId, poolArn, withPoolMfa } from '../../domain/pools.js';
import { regionForNew } from '../../regions.js';

export default action<CreateUserPoolRequest, CreateUserPoolResponse>(async (input, ctx) => {
  // In the region the call was signed for (its id and ARN name it); CORRAL_REGION for provisioning.
  const id = newPoolId(regionForNew(ctx.signingRegion, ctx.app.config.region));
  const now = new Date(ctx.app.now());
  const settings = mutableSettings(input);
  checkMfaSettings(settings, false);
  const pool = await insertPool(
    ctx.app,
    withPoolMfa(
      {
        Id: id,
        Name: input.PoolName,
        ...settings,
        ...signInSettings(input),
        SchemaAttributes: buildSchema(input.Schema),
        LastModifiedDate: now,
        CreationDate: now,
        Arn: poolArn(ctx.app, id),
      },
      { sms: settings.MfaConfiguration !== 'OFF' },
    ),
  );
  return { UserPool: await describePool(ctx.app, pool) };
});
