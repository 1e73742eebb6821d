// SetUserPoolMfaConfig: sets the MFA factors and MfaConfiguration (which DescribeUserPool then reports).
import type { SetUserPoolMfaConfigRequest, SetUserPoolMfaConfigResponse } from '@aws-sdk/client-cognito-identity-provider';
import { action } from '../../wire/actions.js';
import { applyMfaConfig, mfaConfigOf } from '../../domain/pool-mfa.js';
import { requirePool, savePool } from '../../domain/pools.js';

export default action<SetUserPoolMfaConfigRequest, SetUserPoolMfaConfigResponse>(async (input, ctx) => {
  const pool = await requirePool(ctx.app, input.UserPoolId!);
  pool.settings = { ...applyMfaConfig(pool, input), LastModifiedDate: new Date(ctx.app.now()) };
  await savePool(ctx.app, pool);
  return mfaConfigOf(pool);
});
