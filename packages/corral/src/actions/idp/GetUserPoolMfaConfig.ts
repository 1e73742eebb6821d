// GetUserPoolMfaConfig: the pool's MFA setting and which factors it offers.
import type { GetUserPoolMfaConfigRequest, GetUserPoolMfaConfigResponse } from '@aws-sdk/client-cognito-identity-provider';
import { action } from '../../wire/actions.js';
import { mfaConfigOf } from '../../domain/pool-mfa.js';
import { requirePool } from '../../domain/pools.js';

export default action<GetUserPoolMfaConfigRequest, GetUserPoolMfaConfigResponse>(async (input, ctx) => {
  return mfaConfigOf(await requirePool(ctx.app, input.UserPoolId!));
});
