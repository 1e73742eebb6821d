// Developer-authenticated identities over the SDK v3 and real HTTP: the developer's back end (signed) gets an identity
// and a token for its user with GetOpenIdTokenForDeveloperIdentity, the app trades the token for credentials with
// GetCredentialsForIdentity (Logins { 'cognito-identity.amazonaws.com': token }); LookupDeveloperIdentity,
// MergeDeveloperIdentities and UnlinkDeveloperIdentity as Cognito answers them.
import {
  CognitoIdentityClient,
  CreateIdentityPoolCommand,
  DescribeIdentityCommand,
  GetCredentialsForIdentityCommand,
  GetIdCommand,
  GetOpenIdTokenCommand,
  GetOpenIdTokenForDeveloperIdentityCommand,
  LookupDeveloperIdentityCommand,
  MergeDeveloperIdentitiesCommand,
  UnlinkDeveloperIdentityCommand,
} from '@aws-sdk/client-cognito-identity';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { verifyTemporaryCredentials } from '../../src/identity/credentials.js';
import { describeEachBackend, startTestCorral, type TestCorral } from '../support/corral.js';
import { AUTH_ROLE, createIdentityPoolWithRoles, publicIdentityClient } from '../support/identity.js';
import { race } from '../support/race.js';
import { iamProvidersEnv, oidcArn, startMiniIssuer, type MiniIssuer } from './oidc-issuers.js';
import { fail } from '../support/rejection.js';

const DEV = 'login.rides';
const COGNITO = 'cognito-identity.amazonaws.com';

const said = (e: Error) => `${e.name}: ${e.message}`;

describeEachBackend('developer-authenticated identities', (backend) => {
  let corral: TestCorral;
  let mini: MiniIssuer;
  let pub: CognitoIdentityClient;
  let poolId: string;

  const devToken = (user: string, more: { IdentityId?: string; Logins?: Record<string, string>; TokenDuration?: number } = {}) =>
    corral.identity.send(
      new GetOpenIdTokenForDeveloperIdentityCommand({
        IdentityPoolId: poolId,
        IdentityId: more.IdentityId,
        Logins: { [DEV]: user, ...more.Logins },
        TokenDuration: more.TokenDuration,
      }),
    );
  const lookup = (input: { IdentityId?: string; DeveloperUserIdentifier?: string; MaxResults?: number; NextToken?: string }) =>
    corral.identity.send(new LookupDeveloperIdentityCommand({ IdentityPoolId: poolId, MaxResults: 10, ...input }));

  beforeAll(async () => {
    mini = await startMiniIssuer();
    corral = await startTestCorral({ backend, env: { CORRAL_IAM_PROVIDERS: iamProvidersEnv([{ url: mini.url, clientIds: [mini.clientId] }]) } });
    pub = publicIdentityClient(corral);
    poolId = await createIdentityPoolWithRoles(corral, {
      IdentityPoolName: 'rides_developers',
      AllowUnauthenticatedIdentities: false,
      DeveloperProviderName: DEV,
      OpenIdConnectProviderARNs: [oidcArn(mini)],
    });
  }, 60_000);
  afterAll(async () => {
    pub?.destroy();
    await corral?.stop();
    await mini?.stop();
  });

  it('GetOpenIdTokenForDeveloperIdentity → GetCredentialsForIdentity with the cognito-identity.amazonaws.com token → credentials', async () => {
    const { IdentityId, Token } = await devToken('user-1', { TokenDuration: 3600 });
    expect(IdentityId).toMatch(/^us-east-1:[0-9a-f-]{36}$/);
    const claims = decodeJwt(Token!);
    expect(claims).toMatchObject({ sub: IdentityId, aud: poolId, amr: ['authenticated', DEV, `${DEV}:${poolId}:user-1`] });
    expect(claims.exp! - claims.iat!).toBe(3600);
    // Default duration: 15 minutes. The same user is the same identity.
    const again = await devToken('user-1');
    expect(again.IdentityId).toBe(IdentityId);
    expect(decodeJwt(again.Token!).exp! - decodeJwt(again.Token!).iat!).toBe(900);

    const creds = await pub.send(new GetCredentialsForIdentityCommand({ IdentityId, Logins: { [COGNITO]: Token! } }));
    expect(creds.IdentityId).toBe(IdentityId);
    expect(verifyTemporaryCredentials(corral.app, creds.Credentials!.AccessKeyId!, creds.Credentials!.SessionToken)).toMatchObject({
      identityId: IdentityId,
      roleArn: AUTH_ROLE,
    });
    const open = await pub.send(new GetOpenIdTokenCommand({ IdentityId, Logins: { [COGNITO]: Token! } }));
    expect(decodeJwt(open.Token!).amr).toEqual(['authenticated', DEV, `${DEV}:${poolId}:user-1`]);
    expect((await corral.identity.send(new DescribeIdentityCommand({ IdentityId }))).Logins).toEqual([DEV]);
  });

  it('refuses the token for another identity, an altered token, a Cognito token in GetId, a developer login in the public calls', async () => {
    const one = await devToken('user-t1');
    const two = await devToken('user-t2');
    expect(said(await fail(pub.send(new GetCredentialsForIdentityCommand({ IdentityId: one.IdentityId, Logins: { [COGNITO]: two.Token! } }))))).toBe(
      "NotAuthorizedException: Logins don't match. Please include at least one valid login for this identity or identity pool.",
    );
    const [h, p, s] = one.Token!.split('.');
    const altered = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(p!, 'base64url').toString()), sub: two.IdentityId })).toString('base64url');
    expect(
      said(await fail(pub.send(new GetCredentialsForIdentityCommand({ IdentityId: two.IdentityId, Logins: { [COGNITO]: `${h}.${altered}.${s}` } })))),
    ).toBe("NotAuthorizedException: Invalid login token. Couldn't verify signed token.");
    expect(said(await fail(pub.send(new GetIdCommand({ IdentityPoolId: poolId, Logins: { [COGNITO]: one.Token! } }))))).toBe(
      "NotAuthorizedException: Invalid login token. Can't pass in a Cognito token.",
    );
    expect(said(await fail(pub.send(new GetIdCommand({ IdentityPoolId: poolId, Logins: { [DEV]: 'user-t1' } }))))).toBe(
      'NotAuthorizedException: Token is not from a supported provider of this identity pool.',
    );
    expect(said(await fail(pub.send(new GetCredentialsForIdentityCommand({ IdentityId: one.IdentityId, Logins: { [DEV]: 'user-t1' } }))))).toBe(
      'NotAuthorizedException: Token is not from a supported provider of this identity pool.',
    );
    // The developer actions are signed: a key pair that is not the server's is refused.
    const stranger = new CognitoIdentityClient({
      region: 'us-east-1',
      endpoint: corral.url,
      maxAttempts: 1,
      credentials: { accessKeyId: 'AKIASTRANGER00000001', secretAccessKey: 'not-the-servers' },
    });
    try {
      const e = await fail(stranger.send(new GetOpenIdTokenForDeveloperIdentityCommand({ IdentityPoolId: poolId, Logins: { [DEV]: 'user-t1' } })));
      expect(e.name).toBe('UnrecognizedClientException');
    } finally {
      stranger.destroy();
    }
    // A pool without a developer provider, or Logins without it.
    const plain = await corral.identity.send(new CreateIdentityPoolCommand({ IdentityPoolName: 'plain', AllowUnauthenticatedIdentities: true }));
    const e = await fail(
      corral.identity.send(new GetOpenIdTokenForDeveloperIdentityCommand({ IdentityPoolId: plain.IdentityPoolId!, Logins: { [DEV]: 'user-t1' } })),
    );
    expect(said(e)).toBe('NotAuthorizedException: This identity pool does not support the specified developer provider');
    const e2 = await fail(corral.identity.send(new GetOpenIdTokenForDeveloperIdentityCommand({ IdentityPoolId: poolId, Logins: { 'login.other': 'x' } })));
    expect(said(e2)).toBe('NotAuthorizedException: This identity pool does not support the specified developer provider');
  });

  it('IdentityId given: links the developer user to it (with a login of it); another identity’s user is DeveloperUserAlreadyRegistered', async () => {
    const partner = await mini.token({ sub: 'partner-dev-1' });
    const { IdentityId } = await pub.send(new GetIdCommand({ IdentityPoolId: poolId, Logins: { [mini.name]: partner } }));
    // Without a login the identity has, the identity is not the caller's to link.
    expect(said(await fail(devToken('user-linked', { IdentityId })))).toBe(
      "NotAuthorizedException: Logins don't match. Please include at least one valid login for this identity or identity pool.",
    );
    const linked = await devToken('user-linked', { IdentityId, Logins: { [mini.name]: partner } });
    expect(linked.IdentityId).toBe(IdentityId);
    expect((await corral.identity.send(new DescribeIdentityCommand({ IdentityId }))).Logins?.sort()).toEqual([DEV, mini.name].sort());
    expect(await lookup({ DeveloperUserIdentifier: 'user-linked' })).toMatchObject({ IdentityId, DeveloperUserIdentifierList: ['user-linked'] });

    const other = await devToken('user-elsewhere');
    const e = await fail(devToken('user-elsewhere', { IdentityId, Logins: { [mini.name]: partner } }));
    expect(said(e)).toBe(
      'DeveloperUserAlreadyRegisteredException: The provided developer user identifier is already registered with Cognito under a different identity ID.',
    );
    expect((await lookup({ DeveloperUserIdentifier: 'user-elsewhere' })).IdentityId).toBe(other.IdentityId);
    // An identity of no pool's / an unknown one.
    expect((await fail(devToken('user-x', { IdentityId: 'us-east-1:00000000-0000-0000-0000-000000000000' }))).name).toBe('ResourceNotFoundException');
  });

  it('LookupDeveloperIdentity by identity or user, both agreeing, paginated; MergeDeveloperIdentities; UnlinkDeveloperIdentity', async () => {
    const a = await devToken('merge-a');
    const b = await devToken('merge-b');
    expect(b.IdentityId).not.toBe(a.IdentityId);
    expect(await lookup({ IdentityId: a.IdentityId })).toMatchObject({ IdentityId: a.IdentityId, DeveloperUserIdentifierList: ['merge-a'] });
    expect(await lookup({ IdentityId: a.IdentityId, DeveloperUserIdentifier: 'merge-a' })).toMatchObject({ IdentityId: a.IdentityId });
    expect((await fail(lookup({ IdentityId: a.IdentityId, DeveloperUserIdentifier: 'merge-b' }))).name).toBe('ResourceConflictException');
    expect((await fail(lookup({ DeveloperUserIdentifier: 'nobody' }))).name).toBe('ResourceNotFoundException');
    expect((await fail(lookup({}))).name).toBe('InvalidParameterException');

    const merged = await corral.identity.send(
      new MergeDeveloperIdentitiesCommand({
        IdentityPoolId: poolId,
        DeveloperProviderName: DEV,
        SourceUserIdentifier: 'merge-b',
        DestinationUserIdentifier: 'merge-a',
      }),
    );
    expect(merged.IdentityId).toBe(a.IdentityId);
    const page1 = await lookup({ IdentityId: a.IdentityId, MaxResults: 1 });
    expect(page1.DeveloperUserIdentifierList).toEqual(['merge-a']);
    expect(page1.NextToken).toBeTruthy();
    const page2 = await lookup({ IdentityId: a.IdentityId, MaxResults: 1, NextToken: page1.NextToken });
    expect(page2).toMatchObject({ DeveloperUserIdentifierList: ['merge-b'] });
    expect(page2.NextToken).toBeUndefined();
    expect((await fail(corral.identity.send(new DescribeIdentityCommand({ IdentityId: b.IdentityId })))).name).toBe('ResourceNotFoundException');
    expect((await devToken('merge-b')).IdentityId).toBe(a.IdentityId);
    // The source's old token named its old identity, which is gone.
    expect((await fail(pub.send(new GetCredentialsForIdentityCommand({ IdentityId: b.IdentityId, Logins: { [COGNITO]: b.Token! } })))).name).toBe(
      'ResourceNotFoundException',
    );
    // Merging merged users again answers the identity; another provider name or an unknown user is refused.
    const mergeInput = { IdentityPoolId: poolId, DeveloperProviderName: DEV, SourceUserIdentifier: 'merge-b', DestinationUserIdentifier: 'merge-a' };
    expect((await corral.identity.send(new MergeDeveloperIdentitiesCommand(mergeInput))).IdentityId).toBe(a.IdentityId);
    expect(said(await fail(corral.identity.send(new MergeDeveloperIdentitiesCommand({ ...mergeInput, DeveloperProviderName: 'login.other' }))))).toBe(
      'NotAuthorizedException: This identity pool does not support the specified developer provider',
    );
    expect((await fail(corral.identity.send(new MergeDeveloperIdentitiesCommand({ ...mergeInput, SourceUserIdentifier: 'nobody' })))).name).toBe(
      'ResourceNotFoundException',
    );

    const unlink = { IdentityPoolId: poolId, IdentityId: a.IdentityId!, DeveloperProviderName: DEV, DeveloperUserIdentifier: 'merge-b' };
    await corral.identity.send(new UnlinkDeveloperIdentityCommand(unlink));
    expect((await lookup({ IdentityId: a.IdentityId })).DeveloperUserIdentifierList).toEqual(['merge-a']);
    expect((await devToken('merge-b')).IdentityId).not.toBe(a.IdentityId); // seen again: a new identity
    expect((await fail(corral.identity.send(new UnlinkDeveloperIdentityCommand({ ...unlink, IdentityId: a.IdentityId! })))).name).toBe(
      'ResourceNotFoundException',
    );
  });

  it('racing first GetOpenIdTokenForDeveloperIdentity calls for one user make one identity', async () => {
    const burst = await race(Array.from({ length: 12 }, () => () => devToken('racer')));
    expect(burst.tally).toEqual({ ok: 12 });
    expect(new Set(burst.values.map((v) => v.IdentityId)).size).toBe(1);
    expect((await lookup({ DeveloperUserIdentifier: 'racer' })).IdentityId).toBe(burst.values[0]!.IdentityId);
  });

  it('racing merges of two users in opposite directions leave one identity with both users', async () => {
    const a = await devToken('cross-a');
    const b = await devToken('cross-b');
    const merge = (source: string, destination: string) =>
      corral.identity.send(
        new MergeDeveloperIdentitiesCommand({
          IdentityPoolId: poolId,
          DeveloperProviderName: DEV,
          SourceUserIdentifier: source,
          DestinationUserIdentifier: destination,
        }),
      );
    const burst = await race([() => merge('cross-a', 'cross-b'), () => merge('cross-b', 'cross-a'), () => merge('cross-a', 'cross-b')]);
    expect(burst.tally).toEqual({ ok: 3 });
    const winner = (await lookup({ DeveloperUserIdentifier: 'cross-a' })).IdentityId!;
    expect([a.IdentityId, b.IdentityId]).toContain(winner);
    expect(await lookup({ IdentityId: winner })).toMatchObject({ DeveloperUserIdentifierList: ['cross-a', 'cross-b'] });
    expect(new Set(burst.values.map((v) => v.IdentityId))).toEqual(new Set([winner]));
  });
});
