// GetSigningCertificate: the user pool's SAML signing certificate (base64 DER, no PEM armour), created on first use.
// It signs the pool's AuthnRequests to providers with RequestSigningAlgorithm rsa-sha256; IdPs verify with it.
import type { GetSigningCertificateRequest, GetSigningCertificateResponse } from '@aws-sdk/client-cognito-identity-provider';
import { action } from '../../wire/actions.js';
import { requirePool } from '../../domain/pools.js';
import { certificateBody, samlKey } from '../../domain/federation/saml-keys.js';

export default action<GetSigningCertificateRequest, GetSigningCertificateResponse>(async (input, { app }) => {
  const pool = await requirePool(app, input.UserPoolId!);
  return { Certificate: certificateBody((await samlKey(app, pool.id, 'signing')).certificate) };
});
