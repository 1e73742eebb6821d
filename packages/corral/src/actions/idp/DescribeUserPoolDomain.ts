// DescribeUserPoolDomain: the domain's pool, account, status and branding version; an unknown domain answers an
// empty DomainDescription, as Cognito does.
import type { DescribeUserPoolDomainRequest, DescribeUserPoolDomainResponse } from '@aws-sdk/client-cognito-identity-provider';
import { action } from '../../wire/actions.js';
import { describeDomain, findDomain } from '../../domain/oauth/domains.js';

export default action<DescribeUserPoolDomainRequest, DescribeUserPoolDomainResponse>(async (input, { app }) => {
  const d = await findDomain(app, input.Domain!);
  return { DomainDescription: d ? describeDomain(app, d) : {} };
});
