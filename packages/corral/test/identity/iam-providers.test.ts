// CORRAL_IAM_PROVIDERS (identity/iam-providers.ts): IAM's members read from inline JSON or a file, checked at start.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { oidcProviderArn, oidcProviderByArn, parseIamProviders, samlProviderArn } from '../../src/identity/iam-providers.js';
import { configFromEnv } from '../../src/runtime/config.js';

it('reads OIDC providers (name = Url without scheme, ARN as IAM makes it) and SAML metadata from a file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'corral-iam-'));
  try {
    const metadata = `<EntityDescriptor entityID="https://idp">${'x'.repeat(1000)}</EntityDescriptor>`;
    writeFileSync(join(dir, 'idp.xml'), metadata);
    writeFileSync(
      join(dir, 'iam.json'),
      JSON.stringify({
        OpenIDConnectProviders: [
          { Url: 'https://accounts.example.com/', ClientIDList: ['a', 'b'] },
          { Url: 'http://localhost:4000/oidc', ClientIDList: ['c'] },
        ],
        SAMLProviders: [{ Name: 'CorpIdP', SAMLMetadataFile: 'idp.xml' }],
      }),
    );
    const r = parseIamProviders(join(dir, 'iam.json'));
    expect(r.oidc).toEqual([
      { url: 'https://accounts.example.com', name: 'accounts.example.com', clientIds: ['a', 'b'] },
      { url: 'http://localhost:4000/oidc', name: 'localhost:4000/oidc', clientIds: ['c'] },
    ]);
    expect(oidcProviderArn('123456789012', r.oidc[1]!)).toBe('arn:aws:iam::123456789012:oidc-provider/localhost:4000/oidc');
    expect(oidcProviderByArn(r, '123456789012', 'arn:aws:iam::123456789012:oidc-provider/accounts.example.com')).toBe(r.oidc[0]);
    expect(oidcProviderByArn(r, '000000000000', 'arn:aws:iam::123456789012:oidc-provider/accounts.example.com')).toBeUndefined();
    expect(r.saml).toEqual([{ name: 'CorpIdP', metadata }]);
    expect(samlProviderArn('1', r.saml[0]!)).toBe('arn:aws:iam::1:saml-provider/CorpIdP');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

it('stops the start on a mistake, naming it: http off loopback, no client ids, unknown members, duplicates, bad JSON', () => {
  const env = (v: unknown) => ({ CORRAL_IAM_PROVIDERS: typeof v === 'string' ? v : JSON.stringify(v) });
  expect(() => configFromEnv(env({ OpenIDConnectProviders: [{ Url: 'http://idp.example.com', ClientIDList: ['a'] }] }))).toThrow(
    /OpenIDConnectProviders\.0\.Url: an https URL/,
  );
  expect(() => configFromEnv(env({ OpenIDConnectProviders: [{ Url: 'https://idp.example.com', ClientIDList: [] }] }))).toThrow(/ClientIDList/);
  expect(() => configFromEnv(env({ OpenIdConnectProviders: [] }))).toThrow(/CORRAL_IAM_PROVIDERS is not valid/);
  const twice = { Url: 'https://idp.example.com', ClientIDList: ['a'] };
  expect(() => configFromEnv(env({ OpenIDConnectProviders: [twice, twice] }))).toThrow(/declared twice/);
  expect(() => configFromEnv(env('{nope'))).toThrow(/not valid JSON/);
  expect(() => configFromEnv(env({ SAMLProviders: [{ Name: 'X', SAMLMetadataDocument: '<short/>' }] }))).toThrow(/1000 characters/);
  expect(configFromEnv({}).iamProviders).toEqual({ oidc: [], saml: [] });
});
