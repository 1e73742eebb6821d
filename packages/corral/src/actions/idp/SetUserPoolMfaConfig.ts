// SetUserPoolMfaConfig: sets the MFA factors and MfaConfiguration (which DescribeUserPool then reports).
import type { SetUserPoolMfaConfigRequest, SetUserPoolMfaConfigResponse } from '@aws-sdk/client-cognito-identity-provider';
import { action } from '../../wire/actions.js';
import { applyMfaConfig, mfaConfigOf } from '../../domain/pool-mfa.js';
import { changePool } from '../../domain/pools.js';

export default action<SetUserPoolMfaConfigRequest, SetUserPoolMfaConfigResponse>(async (input, ctx) => {
  const pool = await changePool(ctx.app, input.UserPoolId!, (fresh) => ({
    ...fresh,
    settings: { ...applyMfaConfig(fresh, input), LastModifiedDate: new Date(ctx.app.now()) },
  }));
  return mfaConfigOf(pool);
});
