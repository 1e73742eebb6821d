// A small SAML 2.0 identity provider for the tests (user pools' SAML providers, and identity pools' SAML logins for
// AWS's SP: `response({ acs: 'https://signin.aws.amazon.com/saml', audience: 'urn:amazon:webservices', … })`), on a free
// loopback port:
//   GET  /metadata   its metadata (entityID <url>/idp, SSO HTTP-Redirect at <url>/sso, its signing certificate);
//   GET  /sso        takes an AuthnRequest (HTTP-Redirect binding: deflated, base64, optionally signed), shows a
//                    login page (a form with the username);
//   POST /login      signs the user in and answers an auto-posting form to the request's ACS (SAMLResponse, RelayState).
// `response(opts)` makes a SAMLResponse directly (IdP-initiated, tampered, wrong audience, expired, other key…).
// Signatures are made with xml-crypto (test code only: Corral verifies with @node-saml/node-saml).
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { createServer, type Server } from 'node:http';
import { createPrivateKey, createVerify, randomBytes, webcrypto } from 'node:crypto';
import { inflateRawSync } from 'node:zlib';
import type { AddressInfo } from 'node:net';
import { SignedXml } from 'xml-crypto';
// xml-encryption ships with @node-saml/node-saml (its decrypting side); here it encrypts, as an IdP does.
import xmlenc from 'xml-encryption';

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

export interface KeyPair {
  certificate: string; // PEM
  privateKey: string; // PKCS#8 PEM
}

export async function newKeyPair(cn = 'Test SAML IdP', validForMs = 365 * 24 * 3600_000, notBefore = Date.now() - 60_000): Promise<KeyPair> {
  const alg = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256', publicExponent: new Uint8Array([1, 0, 1]), modulusLength: 2048 };
  const keys = (await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify'])) as CryptoKeyPair;
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '0' + randomBytes(7).toString('hex'),
    name: `CN=${cn}`,
    notBefore: new Date(notBefore),
    notAfter: new Date(notBefore + validForMs),
    signingAlgorithm: alg,
    keys,
  });
  const der = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey));
  return {
    certificate: cert.toString('pem'),
    privateKey: createPrivateKey({ key: der, format: 'der', type: 'pkcs8' }).export({ type: 'pkcs8', format: 'pem' }) as string,
  };
}

const body = (pem: string) => pem.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, '');
const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

export interface IdpUser {
  nameId: string;
  attributes: Record<string, string | string[]>;
}

export interface ResponseOptions {
  acs: string;
  audience: string;
  inResponseTo?: string;
  nameId?: string;
  attributes?: Record<string, string | string[]>;
  /** Recipient of the SubjectConfirmationData (default: acs). */
  recipient?: string;
  /** Destination of the Response (default: acs; null: none). */
  destination?: string | null;
  issuer?: string;
  assertionId?: string;
  notBefore?: number;
  notOnOrAfter?: number;
  /** What carries the signature (default: the assertion). */
  sign?: 'assertion' | 'response' | 'both' | 'none';
  /** Sign with this key instead of the IdP's. */
  key?: KeyPair;
  /** After signing, change the signed NameID (a tampered response). */
  tamper?: boolean;
  /** Encrypt the assertion to this certificate (PEM): EncryptedResponses. */
  encryptTo?: string;
}

export interface ReceivedRequest {
  id: string;
  acs: string;
  issuer: string;
  destination: string;
  relayState?: string;
  sigAlg?: string;
  /** The signature of the redirect binding's query, verified with `spCertificate` when one was given. */
  signatureValid?: boolean;
  signed: boolean;
}

export interface TestIdp {
  url: string;
  entityId: string;
  key: KeyPair;
  metadata(): string;
  /** A base64 SAMLResponse. */
  response(opts: ResponseOptions): Promise<string>;
  /** The AuthnRequests received, oldest first. */
  requests: ReceivedRequest[];
  users: Map<string, IdpUser>;
  /** The SP's signing certificate (PEM) to check signed AuthnRequests against. */
  spCertificate?: string;
  /** What the next logins' responses are made with (tests change it between runs). */
  responseOverrides: Partial<ResponseOptions>;
  /** The last response the login page posted (base64). */
  lastResponse?: string;
  stop(): Promise<void>;
}

function sign(xml: string, key: KeyPair, xpathOf: string, issuerXpath: string): string {
  const sig = new SignedXml({
    privateKey: key.privateKey,
    publicCert: key.certificate,
    canonicalizationAlgorithm: 'http://www.w3.org/2001/10/xml-exc-c14n#',
    signatureAlgorithm: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
  });
  sig.addReference({
    xpath: xpathOf,
    digestAlgorithm: 'http://www.w3.org/2001/04/xmlenc#sha256',
    transforms: ['http://www.w3.org/2000/09/xmldsig#enveloped-signature', 'http://www.w3.org/2001/10/xml-exc-c14n#'],
  });
  sig.computeSignature(xml, { location: { reference: issuerXpath, action: 'after' } });
  return sig.getSignedXml();
}

function encrypt(assertion: string, certificate: string): Promise<string> {
  return new Promise((resolve, reject) =>
    xmlenc.encrypt(
      assertion,
      {
        rsa_pub: certificate,
        pem: certificate,
        encryptionAlgorithm: 'http://www.w3.org/2009/xmlenc11#aes256-gcm',
        keyEncryptionAlgorithm: 'http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p',
        disallowEncryptionWithInsecureAlgorithm: true,
      },
      (err: Error | null, out?: string) => (err ? reject(err) : resolve(out!)),
    ),
  );
}

export async function startTestIdp(opts: { key?: KeyPair } = {}): Promise<TestIdp> {
  const key = opts.key ?? (await newKeyPair());
  const requests: ReceivedRequest[] = [];
  const users = new Map<string, IdpUser>();
  let url = '';
  let entityId = '';

  const idp: TestIdp = {
    get url() {
      return url;
    },
    get entityId() {
      return entityId;
    },
    key,
    requests,
    users,
    responseOverrides: {},
    metadata() {
      return `<?xml version="1.0"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="${esc(entityId)}">
  <md:IDPSSODescriptor WantAuthnRequestsSigned="false" protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>${body(key.certificate)}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>
    <md:NameIDFormat>urn:oasis:names:tc:SAML:2.0:nameid-format:persistent</md:NameIDFormat>
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="${esc(url)}/sso"/>
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="${esc(url)}/sso"/>
  </md:IDPSSODescriptor>
</md:EntityDescriptor>
`;
    },
    async response(o: ResponseOptions): Promise<string> {
      const now = Date.now();
      const id = `_r${randomBytes(16).toString('hex')}`;
      const assertionId = o.assertionId ?? `_a${randomBytes(16).toString('hex')}`;
      const issuer = o.issuer ?? entityId;
      const notBefore = o.notBefore ?? now - 30_000;
      const notOnOrAfter = o.notOnOrAfter ?? now + 5 * 60_000;
      const irt = o.inResponseTo ? ` InResponseTo="${esc(o.inResponseTo)}"` : '';
      const attrs = Object.entries(o.attributes ?? {})
        .map(
          ([name, v]) =>
            `<saml:Attribute Name="${esc(name)}" NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:basic">${(Array.isArray(v) ? v : [v])
              .map((x) => `<saml:AttributeValue xsi:type="xs:string">${esc(x)}</saml:AttributeValue>`)
              .join('')}</saml:Attribute>`,
        )
        .join('');
      let assertion =
        `<saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" ID="${assertionId}" Version="2.0" IssueInstant="${iso(now)}">` +
        `<saml:Issuer>${esc(issuer)}</saml:Issuer>` +
        `<saml:Subject><saml:NameID Format="urn:oasis:names:tc:SAML:2.0:nameid-format:persistent">${esc(o.nameId ?? 'user-1')}</saml:NameID>` +
        `<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><saml:SubjectConfirmationData NotOnOrAfter="${iso(notOnOrAfter)}" Recipient="${esc(o.recipient ?? o.acs)}"${irt}/></saml:SubjectConfirmation></saml:Subject>` +
        `<saml:Conditions NotBefore="${iso(notBefore)}" NotOnOrAfter="${iso(notOnOrAfter)}"><saml:AudienceRestriction><saml:Audience>${esc(o.audience)}</saml:Audience></saml:AudienceRestriction></saml:Conditions>` +
        `<saml:AuthnStatement AuthnInstant="${iso(now)}" SessionIndex="${assertionId}"><saml:AuthnContext><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>` +
        (attrs ? `<saml:AttributeStatement>${attrs}</saml:AttributeStatement>` : '') +
        `</saml:Assertion>`;
      const signer = o.key ?? key;
      const how = o.sign ?? 'assertion';
      if (how === 'assertion' || how === 'both')
        assertion = sign(assertion, signer, "/*[local-name()='Assertion']", "/*[local-name()='Assertion']/*[local-name()='Issuer']");
      if (o.encryptTo)
        assertion = `<saml:EncryptedAssertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion">${await encrypt(assertion, o.encryptTo)}</saml:EncryptedAssertion>`;
      const destination = o.destination === null ? '' : ` Destination="${esc(o.destination ?? o.acs)}"`;
      let response =
        `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="${id}" Version="2.0" IssueInstant="${iso(now)}"${destination}${irt}>` +
        `<saml:Issuer>${esc(issuer)}</saml:Issuer>` +
        `<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>` +
        assertion +
        `</samlp:Response>`;
      if (how === 'response' || how === 'both')
        response = sign(response, signer, "/*[local-name()='Response']", "/*[local-name()='Response']/*[local-name()='Issuer']");
      if (o.tamper) {
        const nameId = o.nameId ?? 'user-1';
        response = response.replace(`>${esc(nameId)}</saml:NameID>`, `>${esc(nameId)}-admin</saml:NameID>`);
        if (!response.includes('-admin</saml:NameID>')) throw new Error('tamper: the NameID was not found');
      }
      return Buffer.from(response, 'utf8').toString('base64');
    },
    async stop() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };

  const loginPage = (q: URLSearchParams) => `<!doctype html><html><head><title>Test IdP sign-in</title></head><body>
<h1>Test IdP</h1><form method="post" action="/login">
<input type="hidden" name="SAMLRequest" value="${esc(q.get('SAMLRequest') ?? '')}">
<input type="hidden" name="RelayState" value="${esc(q.get('RelayState') ?? '')}">
<label>Username <input name="username" id="idp-username"></label><button type="submit" id="idp-submit">Sign in at the IdP</button>
</form></body></html>`;

  const parseRequest = (samlRequest: string) => {
    const xml = inflateRawSync(Buffer.from(samlRequest, 'base64')).toString('utf8');
    const attr = (name: string) => new RegExp(`<(?:\\w+:)?AuthnRequest\\b[^>]*\\s${name}="([^"]*)"`).exec(xml)?.[1] ?? '';
    return {
      id: attr('ID'),
      acs: attr('AssertionConsumerServiceURL'),
      destination: attr('Destination'),
      issuer: /<(?:\w+:)?Issuer[^>]*>([^<]*)</.exec(xml)?.[1] ?? '',
    };
  };

  const server: Server = createServer((req, res) => {
    const u = new URL(req.url ?? '/', url);
    if (req.method === 'GET' && u.pathname === '/metadata') {
      res.writeHead(200, { 'content-type': 'application/samlmetadata+xml' }).end(idp.metadata());
      return;
    }
    if (req.method === 'GET' && u.pathname === '/sso') {
      const samlRequest = u.searchParams.get('SAMLRequest');
      if (!samlRequest) return void res.writeHead(400).end('no SAMLRequest');
      const r = parseRequest(samlRequest);
      const sigAlg = u.searchParams.get('SigAlg') ?? undefined;
      const signature = u.searchParams.get('Signature');
      let signatureValid: boolean | undefined;
      if (signature && idp.spCertificate) {
        // The redirect binding signs the query string as sent: SAMLRequest=…&RelayState=…&SigAlg=… (raw, URL-encoded).
        const raw = (u.search.slice(1).split('&') ?? []).filter((p) => /^(SAMLRequest|RelayState|SigAlg)=/.test(p));
        const order = ['SAMLRequest', 'RelayState', 'SigAlg'];
        raw.sort((a, b) => order.indexOf(a.split('=')[0]!) - order.indexOf(b.split('=')[0]!));
        signatureValid = createVerify('RSA-SHA256').update(raw.join('&')).verify(idp.spCertificate, Buffer.from(signature, 'base64'));
      }
      requests.push({ ...r, relayState: u.searchParams.get('RelayState') ?? undefined, sigAlg, signed: !!signature, signatureValid });
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(loginPage(u.searchParams));
      return;
    }
    if (req.method === 'POST' && u.pathname === '/login') {
      let raw = '';
      req.on('data', (c: Buffer) => (raw += c.toString('utf8')));
      req.on('end', () => {
        void (async () => {
          const form = new URLSearchParams(raw);
          const r = parseRequest(form.get('SAMLRequest') ?? '');
          const user = users.get(form.get('username') ?? '');
          if (!user) return void res.writeHead(401, { 'content-type': 'text/plain' }).end('unknown user');
          const samlResponse = await idp.response({
            acs: r.acs,
            audience: r.issuer,
            inResponseTo: r.id,
            nameId: user.nameId,
            attributes: user.attributes,
            ...idp.responseOverrides,
          });
          idp.lastResponse = samlResponse;
          res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(`<!doctype html><html><body onload="document.forms[0].submit()">
<form method="post" action="${esc(r.acs)}"><input type="hidden" name="SAMLResponse" value="${esc(samlResponse)}">
<input type="hidden" name="RelayState" value="${esc(form.get('RelayState') ?? '')}"><noscript><button>Continue</button></noscript></form></body></html>`);
        })().catch((err: Error) => res.writeHead(500).end(String(err.stack)));
      });
      return;
    }
    res.writeHead(404).end('not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  entityId = `${url}/idp`;
  return idp;
}
