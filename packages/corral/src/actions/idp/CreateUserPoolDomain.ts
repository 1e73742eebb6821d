// CreateUserPoolDomain: a prefix domain for the pool's OAuth endpoints (served at <publicUrl>/_domains/<prefix>/…
// and <publicUrl>/<poolId>/…); custom domains are refused (no certificates or DNS here).
import type { CreateUserPoolDomainRequest, CreateUserPoolDomainResponse } from '@aws-sdk/client-cognito-identity-provider';
import { action } from '../../wire/actions.js';
import { createDomain } from '../../domain/oauth/domains.js';
import { requirePool } from '../../domain/pools.js';

export default action<CreateUserPoolDomainRequest, CreateUserPoolDomainResponse>(async (input, { app }) => {
  const pool = await requirePool(app, input.UserPoolId!);
  const d = await createDomain(app, pool, input.Domain!, { managedLoginVersion: input.ManagedLoginVersion, customDomainConfig: input.CustomDomainConfig });
  return { ManagedLoginVersion: d.managedLoginVersion };
});
