// Corral's stand-in for IAM's registry of identity providers: the OpenID Connect and SAML providers an identity pool
// may name in OpenIdConnectProviderARNs / SamlProviderARNs. AWS keeps them in IAM (CreateOpenIDConnectProvider,
// CreateSAMLProvider); Corral has no IAM, so they are configuration, the same on every instance:
//
//   CORRAL_IAM_PROVIDERS = inline JSON, or the path of a JSON file, of IAM's own members:
//   {
//     "OpenIDConnectProviders": [{ "Url": "https://accounts.example.com", "ClientIDList": ["my-app-client"] }],
//     "SAMLProviders": [{ "Name": "CorpIdP", "SAMLMetadataDocument": "<EntityDescriptor …>" }]   // or "SAMLMetadataFile": "corp.xml"
//   }
//
// An OIDC provider's ARN is `arn:aws:iam::<CORRAL_ACCOUNT_ID>:oidc-provider/<Url without scheme>` (IAM's), and its
// Logins key is that same host + path (`accounts.example.com`, `localhost:4000/oidc`). `Url` must be https, except
// for a loopback host (localhost, 127.x.x.x, [::1]), where http is allowed (local providers, tests). A SAML provider's
// ARN is `arn:aws:iam::<account>:saml-provider/<Name>`, which is also its Logins key.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { z } from 'zod';

export interface OidcProvider {
  /** The issuer as configured (`https://accounts.example.com`), without a trailing slash. */
  url: string;
  /** The Url without its scheme: the ARN's resource and the Logins key. */
  name: string;
  clientIds: string[];
}

export interface SamlProvider {
  name: string;
  /** The IdP's metadata XML. */
  metadata: string;
}

export interface IamProviders {
  oidc: OidcProvider[];
  saml: SamlProvider[];
}

export const NO_IAM_PROVIDERS: IamProviders = { oidc: [], saml: [] };

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i;

const OidcDecl = z.strictObject({
  Url: z.string().refine((u) => {
    try {
      const url = new URL(u);
      return url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK.test(url.hostname));
    } catch {
      return false;
    }
  }, 'an https URL (http only for localhost, 127.x.x.x or [::1]), without query or fragment'),
  ClientIDList: z.array(z.string().min(1).max(255)).min(1).max(100),
  ThumbprintList: z.array(z.string()).optional(),
});

const SamlDecl = z
  .strictObject({
    Name: z.string().regex(/^[\w._-]{1,128}$/, 'letters, digits, ., _ and - (IAM: 1–128)'),
    SAMLMetadataDocument: z.string().min(1000, 'IAM requires 1000 characters or more').optional(),
    SAMLMetadataFile: z.string().min(1).optional(),
  })
  .refine((d) => (d.SAMLMetadataDocument === undefined) !== (d.SAMLMetadataFile === undefined), 'SAMLMetadataDocument or SAMLMetadataFile (one)');

const Decl = z.strictObject({
  OpenIDConnectProviders: z.array(OidcDecl).default([]),
  SAMLProviders: z.array(SamlDecl).default([]),
});

/** CORRAL_IAM_PROVIDERS read and checked (a mistake stops the start, naming the member). */
export function parseIamProviders(raw: string | undefined, cwd = process.cwd()): IamProviders {
  const value = raw?.trim() ?? '';
  if (value === '') return NO_IAM_PROVIDERS;
  const inline = value.startsWith('{');
  const file = inline ? undefined : resolve(cwd, value);
  let json: unknown;
  try {
    json = JSON.parse(inline ? value : readFileSync(file!, 'utf8'));
  } catch (err) {
    throw new Error(`CORRAL_IAM_PROVIDERS${file ? ` (${file})` : ''}: not valid JSON: ${(err as Error).message}`);
  }
  const parsed = Decl.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `  ${i.path.join('.') || '(value)'}: ${i.message}`).join('\n');
    throw new Error(`CORRAL_IAM_PROVIDERS is not valid:\n${issues}`);
  }
  const base = file ? dirname(file) : cwd;
  const oidc = parsed.data.OpenIDConnectProviders.map((d): OidcProvider => {
    const url = d.Url.replace(/\/+$/, '');
    return { url, name: url.replace(/^https?:\/\//i, ''), clientIds: d.ClientIDList };
  });
  const saml = parsed.data.SAMLProviders.map((d): SamlProvider => {
    let metadata = d.SAMLMetadataDocument;
    if (metadata === undefined) {
      const path = resolve(base, d.SAMLMetadataFile!);
      try {
        metadata = readFileSync(path, 'utf8');
      } catch (err) {
        throw new Error(`CORRAL_IAM_PROVIDERS: SAML provider ${d.Name}: cannot read ${path}: ${(err as Error).message}`);
      }
    }
    return { name: d.Name, metadata };
  });
  for (const list of [oidc.map((p) => p.name), saml.map((p) => p.name)]) {
    const dup = list.find((n, i) => list.indexOf(n) !== i);
    if (dup) throw new Error(`CORRAL_IAM_PROVIDERS: the provider ${dup} is declared twice`);
  }
  return { oidc, saml };
}

export const oidcProviderArn = (accountId: string, p: OidcProvider) => `arn:aws:iam::${accountId}:oidc-provider/${p.name}`;
export const samlProviderArn = (accountId: string, p: SamlProvider) => `arn:aws:iam::${accountId}:saml-provider/${p.name}`;

/** The registered OIDC provider an ARN names, in this account. */
export function oidcProviderByArn(registry: IamProviders, accountId: string, arn: string): OidcProvider | undefined {
  return registry.oidc.find((p) => oidcProviderArn(accountId, p) === arn);
}

export function samlProviderByArn(registry: IamProviders, accountId: string, arn: string): SamlProvider | undefined {
  return registry.saml.find((p) => samlProviderArn(accountId, p) === arn);
}
