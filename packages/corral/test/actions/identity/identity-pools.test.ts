import {
  CreateIdentityPoolCommand,
  DeleteIdentityPoolCommand,
  DescribeIdentityPoolCommand,
  GetIdentityPoolRolesCommand,
  ListIdentityPoolsCommand,
  SetIdentityPoolRolesCommand,
  UpdateIdentityPoolCommand,
} from '@aws-sdk/client-cognito-identity';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachBackend, startTestCorral, type TestCorral } from '../../support/corral.js';

const provider = { ProviderName: 'cognito-idp.us-east-1.amazonaws.com/us-east-1_abcDEF123', ClientId: 'client123' };
const authRole = 'arn:aws:iam::000000000000:role/Cognito_testAuth_Role';
const unauthRole = 'arn:aws:iam::000000000000:role/Cognito_testUnauth_Role';

describeEachBackend('identity pools', (backend) => {
  let corral: TestCorral;
  beforeAll(async () => {
    corral = await startTestCorral({ backend });
  });
  afterAll(() => corral.stop());

  it('creates a pool with a <region>:<uuid> id and describes it as Cognito does', async () => {
    const created = await corral.identity.send(
      new CreateIdentityPoolCommand({
        IdentityPoolName: 'wildrydes_identity_pool',
        AllowUnauthenticatedIdentities: false,
        CognitoIdentityProviders: [provider],
      }),
    );
    expect(created.IdentityPoolId).toMatch(/^us-east-1:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    const described = await corral.identity.send(new DescribeIdentityPoolCommand({ IdentityPoolId: created.IdentityPoolId }));
    expect(described).toMatchObject({
      IdentityPoolId: created.IdentityPoolId,
      IdentityPoolName: 'wildrydes_identity_pool',
      AllowUnauthenticatedIdentities: false,
      AllowClassicFlow: false,
      CognitoIdentityProviders: [{ ...provider, ServerSideTokenCheck: false }],
      IdentityPoolTags: {},
    });
  });

  it('updates, lists with pagination, sets and gets roles, deletes', async () => {
    const ids: string[] = [];
    for (const name of ['p1', 'p2', 'p3']) {
      const p = await corral.identity.send(new CreateIdentityPoolCommand({ IdentityPoolName: name, AllowUnauthenticatedIdentities: true }));
      ids.push(p.IdentityPoolId!);
    }
    const updated = await corral.identity.send(
      new UpdateIdentityPoolCommand({ IdentityPoolId: ids[0], IdentityPoolName: 'p1-renamed', AllowUnauthenticatedIdentities: false }),
    );
    expect(updated).toMatchObject({ IdentityPoolId: ids[0], IdentityPoolName: 'p1-renamed', AllowUnauthenticatedIdentities: false });

    const seen: string[] = [];
    let token: string | undefined;
    do {
      const page = await corral.identity.send(new ListIdentityPoolsCommand({ MaxResults: 2, NextToken: token }));
      expect(page.IdentityPools!.length).toBeLessThanOrEqual(2);
      seen.push(...page.IdentityPools!.map((p) => p.IdentityPoolId!));
      token = page.NextToken;
    } while (token);
    expect(seen).toEqual(expect.arrayContaining(ids));
    expect(new Set(seen).size).toBe(seen.length);

    await corral.identity.send(new SetIdentityPoolRolesCommand({ IdentityPoolId: ids[1], Roles: { authenticated: authRole, unauthenticated: unauthRole } }));
    const roles = await corral.identity.send(new GetIdentityPoolRolesCommand({ IdentityPoolId: ids[1] }));
    expect(roles).toMatchObject({ IdentityPoolId: ids[1], Roles: { authenticated: authRole, unauthenticated: unauthRole } });

    await corral.identity.send(new DeleteIdentityPoolCommand({ IdentityPoolId: ids[2] }));
    const err = await corral.identity.send(new DescribeIdentityPoolCommand({ IdentityPoolId: ids[2] })).catch((e: Error) => e);
    expect((err as Error).name).toBe('ResourceNotFoundException');
    expect((err as Error).message).toBe(`IdentityPool '${ids[2]}' not found.`);
  });

  it('refuses a Rules mapping without rules', async () => {
    const p = await corral.identity.send(new CreateIdentityPoolCommand({ IdentityPoolName: 'rules', AllowUnauthenticatedIdentities: false }));
    const err = await corral.identity
      .send(
        new SetIdentityPoolRolesCommand({
          IdentityPoolId: p.IdentityPoolId,
          Roles: {},
          RoleMappings: { [`${provider.ProviderName}:${provider.ClientId}`]: { Type: 'Rules' } },
        }),
      )
      .catch((e: Error) => e);
    expect((err as Error).name).toBe('InvalidParameterException');
  });
});
