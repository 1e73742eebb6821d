// MFA after the password. Not implemented yet: a pool that requires MFA refuses sign-in clearly rather than
// letting users in without their second factor.
import { NotImplementedError } from '../../errors.js';
import type { PendingChallenge } from './index.js';

export const mfaRequired: PendingChallenge = async (_app, pool) => {
  if (pool.settings.MfaConfiguration === 'ON') throw new NotImplementedError('MFA sign-in (this pool requires MFA)');
  return undefined;
};
