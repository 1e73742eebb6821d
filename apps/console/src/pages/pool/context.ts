// The user pool the pool pages show: DescribeUserPool's answer, loaded once by PoolPages and reloaded after a change.
import { createContext, useContext } from 'react';
import type { UserPoolType } from '@aws-sdk/client-cognito-identity-provider';

export interface PoolContextValue {
  poolId: string;
  pool: UserPoolType;
  /** `/user-pools/<poolId>`: the pool pages' absolute base path. */
  base: string;
  /** Refetches DescribeUserPool (after an edit, so the page shows what the API now says). */
  reload: () => void;
}

export const PoolContext = createContext<PoolContextValue | undefined>(undefined);

export function usePool(): PoolContextValue {
  const value = useContext(PoolContext);
  if (!value) throw new Error('usePool() outside PoolPages');
  return value;
}

/** The account id in a pool ARN (`arn:aws:cognito-idp:<region>:<account>:userpool/<id>`). */
export function accountOf(pool: UserPoolType): string {
  return pool.Arn?.split(':')[4] ?? '000000000000';
}

/** The region in the pool id (`<region>_<suffix>`). */
export function regionOf(poolId: string): string {
  return poolId.split('_')[0] ?? 'us-east-1';
}
