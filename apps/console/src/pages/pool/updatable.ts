// UpdateUserPool resets every member the request leaves out to its default, so an edit is always sent as the full
// current updatable set (from a fresh DescribeUserPool) overlaid with what the edit changes.
import type { UpdateUserPoolRequest, UserPoolType } from '@aws-sdk/client-cognito-identity-provider';
import { idp } from '../../lib/api';

/** The members of DescribeUserPool's UserPool that UpdateUserPool takes (and resets when absent). */
export const UPDATABLE = [
  'Policies',
  'DeletionProtection',
  'LambdaConfig',
  'AutoVerifiedAttributes',
  'SmsVerificationMessage',
  'EmailVerificationMessage',
  'EmailVerificationSubject',
  'VerificationMessageTemplate',
  'SmsAuthenticationMessage',
  'UserAttributeUpdateSettings',
  'MfaConfiguration',
  'DeviceConfiguration',
  'EmailConfiguration',
  'SmsConfiguration',
  'UserPoolTags',
  'AdminCreateUserConfig',
  'UserPoolAddOns',
  'AccountRecoverySetting',
  'UserPoolTier',
] as const satisfies readonly (keyof UpdateUserPoolRequest & keyof UserPoolType)[];

/** The UpdateUserPool request that changes nothing: every updatable member as DescribeUserPool reports it. */
export function unchangedUpdate(pool: UserPoolType): UpdateUserPoolRequest {
  const request: Record<string, unknown> = { UserPoolId: pool.Id };
  for (const key of UPDATABLE) {
    if (pool[key] !== undefined && pool[key] !== null) request[key] = pool[key];
  }
  return request as unknown as UpdateUserPoolRequest;
}

/**
 * Reads the pool afresh and sends UpdateUserPool with its full updatable set overlaid with `change(current)`.
 * A member the overlay sets to undefined is left out (reset to its default: e.g. DeviceConfiguration = not remembered).
 */
export async function updatePool(poolId: string, change: (current: UserPoolType) => Partial<UpdateUserPoolRequest>): Promise<void> {
  const { UserPool } = await idp('DescribeUserPool', { UserPoolId: poolId });
  if (!UserPool) throw new Error(`DescribeUserPool returned no pool for ${poolId}.`);
  await idp('UpdateUserPool', { ...unchangedUpdate(UserPool), ...change(UserPool), UserPoolId: poolId });
}
