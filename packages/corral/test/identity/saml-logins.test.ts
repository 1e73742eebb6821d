// Identity pools with SAML providers (SamlProviderARNs, registered in CORRAL_IAM_PROVIDERS with the IdP's metadata),
// over the SDK v3: a signed SAMLResponse for AWS's SP becomes an identity and credentials (the role from the
// assertion's Role attribute, or by rules over its attributes); tampered, expired, foreign-audience and foreign-key
// responses are refused.
import {
  type CognitoIdentityClient,
  DescribeIdentityCommand,
  GetCredentialsForIdentityCommand,
  GetIdCommand,
  SetIdentityPoolRolesCommand,
} from '@aws-sdk/client-cognito-identity';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { verifyTemporaryCredentials } from '../../src/identity/credentials.js';
import { startTestCorral, type TestCorral } from '../support/corral.js';
import { AUTH_ROLE, createIdentityPoolWithRoles, publicIdentityClient, setDefaultRoles, UNAUTH_ROLE } from '../support/identity.js';
import { iamProvidersEnv } from './oidc-issuers.js';
import { newKeyPair, startTestIdp, type ResponseOptions, type TestIdp } from '../support/saml-idp.js';
import { fail } from '../support/rejection.js';

const ARN = 'arn:aws:iam::000000000000:saml-provider/CorpIdP';
const SAML_ROLE = 'arn:aws:iam::000000000000:role/CorpSamlRole';
const ENG_ROLE = 'arn:aws:iam::000000000000:role/CorpEngineers';
const ROLE_ATTR = 'https://aws.amazon.com/SAML/Attributes/Role';

let idp: TestIdp;
let corral: TestCorral;
let pub: CognitoIdentityClient;
let poolId: string;

/** A SAMLResponse for AWS's SP (what an IdP posts to https://signin.aws.amazon.com/saml) for `nameId`. */
const awsResponse = (nameId: string, attributes: Record<string, string[]> = {}, opts: Partial<ResponseOptions> = {}) =>
  idp.response({ acs: 'https://signin.aws.amazon.com/saml', audience: 'urn:amazon:webservices', nameId, attributes, ...opts });

beforeAll(async () => {
  idp = await startTestIdp();
  corral = await startTestCorral({ env: { CORRAL_IAM_PROVIDERS: iamProvidersEnv([], [{ Name: 'CorpIdP', SAMLMetadataDocument: idp.metadata() }]) } });
  pub = publicIdentityClient(corral);
  poolId = await createIdentityPoolWithRoles(corral, { IdentityPoolName: 'corp', AllowUnauthenticatedIdentities: false, SamlProviderARNs: [ARN] });
}, 60_000);
afterAll(async () => {
  pub?.destroy();
  await corral?.stop();
  await idp?.stop();
});

const roleFor = async (response: string) => {
  const { IdentityId } = await pub.send(new GetIdCommand({ IdentityPoolId: poolId, Logins: { [ARN]: response } }));
  const creds = await pub.send(new GetCredentialsForIdentityCommand({ IdentityId, Logins: { [ARN]: response } }));
  return { IdentityId, role: verifyTemporaryCredentials(corral.app, creds.Credentials!.AccessKeyId!, creds.Credentials!.SessionToken)!.roleArn };
};

it('a signed SAMLResponse → identity and credentials; the role from the Role attribute, else the authenticated role', async () => {
  const response = await awsResponse('alice@corp', { [ROLE_ATTR]: [`${SAML_ROLE},${ARN}`], department: ['eng'] });
  const first = await roleFor(response);
  expect(first.role).toBe(SAML_ROLE);
  expect((await corral.identity.send(new DescribeIdentityCommand({ IdentityId: first.IdentityId }))).Logins).toEqual([ARN]);
  // Another sign-in of the same NameID is the same identity; without a Role attribute, the pool's authenticated role.
  const again = await roleFor(await awsResponse('alice@corp', { department: ['eng'] }));
  expect(again).toEqual({ IdentityId: first.IdentityId, role: AUTH_ROLE });
});

it('role mapping rules over the assertion attributes', async () => {
  await corral.identity.send(
    new SetIdentityPoolRolesCommand({
      IdentityPoolId: poolId,
      Roles: { authenticated: AUTH_ROLE, unauthenticated: UNAUTH_ROLE },
      RoleMappings: {
        [ARN]: {
          Type: 'Rules',
          AmbiguousRoleResolution: 'Deny',
          RulesConfiguration: { Rules: [{ Claim: 'department', MatchType: 'Equals', Value: 'eng', RoleARN: ENG_ROLE }] },
        },
      },
    }),
  );
  try {
    expect((await roleFor(await awsResponse('bob@corp', { department: ['sales', 'eng'] }))).role).toBe(ENG_ROLE);
    const e = await fail(roleFor(await awsResponse('carol@corp', { department: ['sales'] })));
    expect(`${e.name}: ${e.message}`).toBe('NotAuthorizedException: The ambiguous role mapping rules denied this request.');
  } finally {
    await setDefaultRoles(corral, poolId);
  }
});

it('refuses a tampered, expired, foreign-audience, foreign-issuer or foreign-key response, and an unregistered provider', async () => {
  const refused = async (response: string, key = ARN) => {
    const e = await fail(pub.send(new GetIdCommand({ IdentityPoolId: poolId, Logins: { [key]: response } })));
    return `${e.name}: ${e.message}`;
  };
  const tampered = await awsResponse('mallory@corp', {}, { tamper: true }); // the signed NameID changed afterwards
  expect(await refused(tampered)).toMatch(/^NotAuthorizedException: Invalid login token\. /);
  expect(await refused(await awsResponse('dave@corp', {}, { notBefore: Date.now() - 180_000, notOnOrAfter: Date.now() - 120_000 }))).toMatch(
    /^NotAuthorizedException: Invalid login token\. SAML assertion expired/,
  );
  expect(await refused(await awsResponse('dave@corp', {}, { audience: 'urn:someone:else' }))).toMatch(
    /^NotAuthorizedException: Invalid login token\. SAML assertion audience mismatch/,
  );
  expect(await refused(await awsResponse('dave@corp', {}, { key: await newKeyPair() }))).toMatch(
    /^NotAuthorizedException: Invalid login token\. Invalid signature/,
  );
  expect(await refused(await awsResponse('dave@corp', {}, { issuer: 'https://evil.example/saml' }))).toBe(
    'NotAuthorizedException: Invalid login token. Unknown SAML issuer: https://evil.example/saml',
  );
  expect(await refused(Buffer.from('<not-saml/>').toString('base64'))).toMatch(/^NotAuthorizedException: Invalid login token\. /);
  expect(await refused(await awsResponse('dave@corp'), 'arn:aws:iam::000000000000:saml-provider/Other')).toBe(
    'NotAuthorizedException: Token is not from a supported provider of this identity pool.',
  );
  // An untampered response from the same IdP is accepted (the refusals above are the checks, not the IdP).
  expect((await pub.send(new GetIdCommand({ IdentityPoolId: poolId, Logins: { [ARN]: await awsResponse('dave@corp') } }))).IdentityId).toBeTruthy();
});
