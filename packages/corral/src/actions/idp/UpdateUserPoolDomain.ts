// UpdateUserPoolDomain: changes the managed login version (1 or 2; Corral serves one page for both). Certificates
// (CustomDomainConfig) are refused; the domain name itself never changes.
import type { UpdateUserPoolDomainRequest, UpdateUserPoolDomainResponse } from '@aws-sdk/client-cognito-identity-provider';
import { action } from '../../wire/actions.js';
import { updateDomain } from '../../domain/oauth/domains.js';
import { requirePool } from '../../domain/pools.js';

export default action<UpdateUserPoolDomainRequest, UpdateUserPoolDomainResponse>(async (input, { app }) => {
  const pool = await requirePool(app, input.UserPoolId!);
  const d = await updateDomain(app, pool.id, input.Domain!, { managedLoginVersion: input.ManagedLoginVersion, customDomainConfig: input.CustomDomainConfig });
  return { ManagedLoginVersion: d.managedLoginVersion };
});
