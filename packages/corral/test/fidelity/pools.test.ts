// Fidelity sweep (issue 9 item 10), group "pools": pools, MFA configuration, app clients, domains, resource servers,
// groups and tags. For each action its most common error over real HTTP with the AWS SDK v3, name AND message, and
// the answers this sweep changed to AWS's (each citing the public record of AWS's answer). Sources per action:
// docs/fidelity.md ("Pools…"). Pure error checks, so SQLite only, except the pool deletion rule (storage: both backends).
import {
  AddCustomAttributesCommand,
  CreateGroupCommand,
  CreateResourceServerCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  CreateUserPoolDomainCommand,
  DeleteGroupCommand,
  DeleteResourceServerCommand,
  DeleteUserPoolClientCommand,
  DeleteUserPoolCommand,
  DeleteUserPoolDomainCommand,
  DescribeResourceServerCommand,
  DescribeUserPoolClientCommand,
  DescribeUserPoolCommand,
  DescribeUserPoolDomainCommand,
  GetGroupCommand,
  GetUserPoolMfaConfigCommand,
  ListGroupsCommand,
  ListResourceServersCommand,
  ListTagsForResourceCommand,
  ListUserPoolClientsCommand,
  ListUserPoolsCommand,
  SetUserPoolMfaConfigCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateGroupCommand,
  UpdateResourceServerCommand,
  UpdateUserPoolClientCommand,
  UpdateUserPoolCommand,
  UpdateUserPoolDomainCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachBackend, startTestCorral, type TestCorral } from '../support/corral.js';

/** The error a call fails with, as [name, message]. */
const refused = (p: Promise<unknown>): Promise<[string, string]> =>
  p.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (e: Error) => [e.name, e.message],
  );

const GHOST_POOL = 'us-east-1_NoSuchPl0';
const GHOST_CLIENT = 'abcdefghijklmnopqrstuvwxyz';
const GHOST_ARN = `arn:aws:cognito-idp:us-east-1:000000000000:userpool/${GHOST_POOL}`;
const noPool: [string, string] = ['ResourceNotFoundException', `User pool ${GHOST_POOL} does not exist.`];

describe('fidelity: pools, clients, domains, resource servers, groups, tags (sqlite)', () => {
  let corral: TestCorral;
  let poolId: string;
  let clientId: string;
  beforeAll(async () => {
    corral = await startTestCorral({ backend: 'sqlite' });
    poolId = (await corral.idp.send(new CreateUserPoolCommand({ PoolName: 'fidelity', Schema: [{ Name: 'genre', AttributeDataType: 'String' }] }))).UserPool!
      .Id!;
    clientId = (await corral.idp.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'web' }))).UserPoolClient!.ClientId!;
  });
  afterAll(() => corral.stop());

  it('an unknown user pool is ResourceNotFoundException "User pool <id> does not exist." for every pool-scoped action', async () => {
    const P = GHOST_POOL;
    const calls = [
      new AddCustomAttributesCommand({ UserPoolId: P, CustomAttributes: [{ Name: 'x', AttributeDataType: 'String' }] }),
      new DescribeUserPoolCommand({ UserPoolId: P }),
      new UpdateUserPoolCommand({ UserPoolId: P }),
      new DeleteUserPoolCommand({ UserPoolId: P }),
      new GetUserPoolMfaConfigCommand({ UserPoolId: P }),
      new SetUserPoolMfaConfigCommand({ UserPoolId: P, MfaConfiguration: 'OFF' }),
      new CreateUserPoolClientCommand({ UserPoolId: P, ClientName: 'x' }),
      new DescribeUserPoolClientCommand({ UserPoolId: P, ClientId: GHOST_CLIENT }),
      new UpdateUserPoolClientCommand({ UserPoolId: P, ClientId: GHOST_CLIENT }),
      new DeleteUserPoolClientCommand({ UserPoolId: P, ClientId: GHOST_CLIENT }),
      new ListUserPoolClientsCommand({ UserPoolId: P }),
      new CreateUserPoolDomainCommand({ UserPoolId: P, Domain: 'ghost-pool-domain' }),
      new UpdateUserPoolDomainCommand({ UserPoolId: P, Domain: 'ghost-pool-domain', ManagedLoginVersion: 2 }),
      new DeleteUserPoolDomainCommand({ UserPoolId: P, Domain: 'ghost-pool-domain' }),
      new CreateResourceServerCommand({ UserPoolId: P, Identifier: 'api', Name: 'api' }),
      new DescribeResourceServerCommand({ UserPoolId: P, Identifier: 'api' }),
      new UpdateResourceServerCommand({ UserPoolId: P, Identifier: 'api', Name: 'api' }),
      new DeleteResourceServerCommand({ UserPoolId: P, Identifier: 'api' }),
      new ListResourceServersCommand({ UserPoolId: P, MaxResults: 10 }),
      new CreateGroupCommand({ UserPoolId: P, GroupName: 'g' }),
      new GetGroupCommand({ UserPoolId: P, GroupName: 'g' }),
      new UpdateGroupCommand({ UserPoolId: P, GroupName: 'g' }),
      new DeleteGroupCommand({ UserPoolId: P, GroupName: 'g' }),
      new ListGroupsCommand({ UserPoolId: P }),
    ];
    const answers = await Promise.all(calls.map((c) => refused(corral.idp.send(c as never))));
    answers.forEach((a, i) => expect([calls[i]!.constructor.name, ...a]).toEqual([calls[i]!.constructor.name, ...noPool]));
  });

  it('CreateUserPool / UpdateUserPool / ListUserPools refuse what AWS refuses', async () => {
    expect(await refused(corral.idp.send(new CreateUserPoolCommand({ PoolName: 'both', AliasAttributes: ['email'], UsernameAttributes: ['email'] })))).toEqual([
      'InvalidParameterException',
      'Only one of the aliasAttributes or usernameAttributes can be set in a User Pool.',
    ]);
    expect(await refused(corral.idp.send(new UpdateUserPoolCommand({ UserPoolId: poolId, MfaConfiguration: 'ON' })))).toEqual([
      'InvalidParameterException',
      'SMS configuration and Auto verification for phone_number are required when MFA is required/optional',
    ]);
    expect(await refused(corral.idp.send(new ListUserPoolsCommand({ MaxResults: 0 })))).toEqual([
      'InvalidParameterException',
      "1 validation error detected: Value '0' at 'maxResults' failed to satisfy constraint: Member must have value greater than or equal to 1",
    ]);
  });

  it('AddCustomAttributes refuses a name the schema already has', async () => {
    expect(
      await refused(
        corral.idp.send(new AddCustomAttributesCommand({ UserPoolId: poolId, CustomAttributes: [{ Name: 'genre', AttributeDataType: 'String' }] })),
      ),
    ).toEqual(['InvalidParameterException', 'custom:genre: Existing attribute already has name custom:genre.']);
  });

  it('SetUserPoolMfaConfig refuses MFA ON with no factor, and OFF with a factor', async () => {
    expect(await refused(corral.idp.send(new SetUserPoolMfaConfigCommand({ UserPoolId: poolId, MfaConfiguration: 'ON' })))).toEqual([
      'InvalidParameterException',
      "Invalid MFA configuration given, can't disable all MFAs with a required or optional configuration.",
    ]);
    expect(
      await refused(
        corral.idp.send(new SetUserPoolMfaConfigCommand({ UserPoolId: poolId, MfaConfiguration: 'OFF', SoftwareTokenMfaConfiguration: { Enabled: true } })),
      ),
    ).toEqual(['InvalidParameterException', "Invalid MFA configuration given, can't turn off MFA and configure an MFA together."]);
    expect((await corral.idp.send(new GetUserPoolMfaConfigCommand({ UserPoolId: poolId }))).MfaConfiguration).toBe('OFF');
  });

  it('app clients: an unknown client is "User pool client <id> does not exist."; an ALLOW_ list without refresh is refused', async () => {
    const noClient: [string, string] = ['ResourceNotFoundException', `User pool client ${GHOST_CLIENT} does not exist.`];
    const [described, updated, deleted] = await Promise.all([
      refused(corral.idp.send(new DescribeUserPoolClientCommand({ UserPoolId: poolId, ClientId: GHOST_CLIENT }))),
      refused(corral.idp.send(new UpdateUserPoolClientCommand({ UserPoolId: poolId, ClientId: GHOST_CLIENT }))),
      refused(corral.idp.send(new DeleteUserPoolClientCommand({ UserPoolId: poolId, ClientId: GHOST_CLIENT }))),
    ]);
    expect([described, updated, deleted]).toEqual([noClient, noClient, noClient]);

    // AWS: "REFRESH_TOKEN_AUTH should always be allowed. (Service: AWSCognitoIdentityProviderService; Status Code:
    // 400; Error Code: InvalidParameterException)" for a client with ALLOW_USER_SRP_AUTH only (aws/aws-cdk#7625).
    const noRefresh: [string, string] = ['InvalidParameterException', 'REFRESH_TOKEN_AUTH should always be allowed.'];
    expect(
      await refused(corral.idp.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'srp', ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH'] }))),
    ).toEqual(noRefresh);
    expect(
      await refused(corral.idp.send(new UpdateUserPoolClientCommand({ UserPoolId: poolId, ClientId: clientId, ExplicitAuthFlows: ['ALLOW_USER_AUTH'] }))),
    ).toEqual(noRefresh);
    // With refresh it is taken; a legacy list (which enables refresh implicitly) and no list at all are too.
    const ok = (
      await corral.idp.send(
        new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'srp', ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] }),
      )
    ).UserPoolClient!;
    expect(ok.ExplicitAuthFlows).toEqual(['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH']);
    const legacy = (
      await corral.idp.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'legacy', ExplicitAuthFlows: ['USER_PASSWORD_AUTH'] }))
    ).UserPoolClient!;
    expect(legacy.ExplicitAuthFlows).toEqual(['USER_PASSWORD_AUTH']);
    const listed = (await corral.idp.send(new ListUserPoolClientsCommand({ UserPoolId: poolId }))).UserPoolClients!.map((c) => c.ClientName).sort();
    expect(listed).toEqual(['legacy', 'srp', 'web']);
  });

  it('app clients: client_credentials with a standard scope is InvalidOAuthFlowException', async () => {
    const m2m = {
      UserPoolId: poolId,
      ClientName: 'm2m',
      GenerateSecret: true,
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ['client_credentials' as const],
    };
    // AWS: "InvalidOAuthFlowException: openid is not supported with client_credentials flow"
    // (hashicorp/terraform-provider-aws#4984).
    expect(await refused(corral.idp.send(new CreateUserPoolClientCommand({ ...m2m, AllowedOAuthScopes: ['openid'] })))).toEqual([
      'InvalidOAuthFlowException',
      'openid is not supported with client_credentials flow',
    ]);
    const created = (await corral.idp.send(new CreateUserPoolClientCommand({ ...m2m, AllowedOAuthScopes: [] }))).UserPoolClient!;
    expect(
      await refused(
        corral.idp.send(new UpdateUserPoolClientCommand({ ...m2m, ClientName: undefined, ClientId: created.ClientId, AllowedOAuthScopes: ['email'] })),
      ),
    ).toEqual(['InvalidOAuthFlowException', 'email is not supported with client_credentials flow']);
  });

  it('app clients: HTTP callback URLs only for localhost and the loopback IP literals', async () => {
    const web = (CallbackURLs: string[]) =>
      corral.idp.send(
        new CreateUserPoolClientCommand({
          UserPoolId: poolId,
          ClientName: 'hosted',
          AllowedOAuthFlowsUserPoolClient: true,
          AllowedOAuthFlows: ['code'],
          AllowedOAuthScopes: ['openid'],
          CallbackURLs,
        }),
      );
    // AWS: "http://localhost.com/ cannot use the HTTP protocol." (aws-amplify/amplify-cli#5419).
    expect(await refused(web(['http://localhost.com/']))).toEqual(['InvalidParameterException', 'http://localhost.com/ cannot use the HTTP protocol.']);
    // Loopback IP literals are accepted since August 2025 (an AWS engineer's answer in microsoft/vscode#256122).
    const made = (await web(['http://localhost:3000/cb', 'http://127.0.0.1:33418/', 'http://[::1]:8080/cb'])).UserPoolClient!;
    expect(made.CallbackURLs).toEqual(['http://localhost:3000/cb', 'http://127.0.0.1:33418/', 'http://[::1]:8080/cb']);
  });

  it('domains: taken by another pool, unknown on update/delete, unknown described as empty', async () => {
    const prefix = `fidelity-${Date.now().toString(36)}`;
    const other = (await corral.idp.send(new CreateUserPoolCommand({ PoolName: 'other' }))).UserPool!.Id!;
    await corral.idp.send(new CreateUserPoolDomainCommand({ UserPoolId: other, Domain: prefix }));
    // AWS: InvalidParameterException "Domain already associated with another user pool." (serverless/serverless#10135,
    // aws-samples/aws-cdk-examples#402, aws-samples/dcv-web-portal#16).
    expect(await refused(corral.idp.send(new CreateUserPoolDomainCommand({ UserPoolId: poolId, Domain: prefix })))).toEqual([
      'InvalidParameterException',
      'Domain already associated with another user pool.',
    ]);
    // AWS: InvalidParameterException "No such domain or user pool exists." (aws-amplify/amplify-cli's e2e tests, run
    // against AWS, delete a domain the pool no longer has and expect exactly this).
    expect(await refused(corral.idp.send(new DeleteUserPoolDomainCommand({ UserPoolId: poolId, Domain: prefix })))).toEqual([
      'InvalidParameterException',
      'No such domain or user pool exists.',
    ]);
    expect(await refused(corral.idp.send(new UpdateUserPoolDomainCommand({ UserPoolId: poolId, Domain: prefix, ManagedLoginVersion: 2 })))).toEqual([
      'ResourceNotFoundException',
      'No such domain or user pool exists.',
    ]);
    expect((await corral.idp.send(new DescribeUserPoolDomainCommand({ Domain: `${prefix}-none` }))).DomainDescription).toEqual({});
    expect((await corral.idp.send(new DescribeUserPoolDomainCommand({ Domain: prefix }))).DomainDescription).toMatchObject({
      UserPoolId: other,
      Domain: prefix,
      Status: 'ACTIVE',
    });
  });

  it('resource servers: a second identifier is refused; an unknown one is not found', async () => {
    await corral.idp.send(
      new CreateResourceServerCommand({
        UserPoolId: poolId,
        Identifier: 'https://api.example.com',
        Name: 'api',
        Scopes: [{ ScopeName: 'read', ScopeDescription: 'read' }],
      }),
    );
    expect(
      await refused(corral.idp.send(new CreateResourceServerCommand({ UserPoolId: poolId, Identifier: 'https://api.example.com', Name: 'again' }))),
    ).toEqual(['InvalidParameterException', `https://api.example.com already exists in user pool ${poolId}.`]);
    const missing: [string, string] = ['ResourceNotFoundException', `Resource server nope does not exist in the user pool ${poolId}.`];
    const answers = await Promise.all([
      refused(corral.idp.send(new DescribeResourceServerCommand({ UserPoolId: poolId, Identifier: 'nope' }))),
      refused(corral.idp.send(new UpdateResourceServerCommand({ UserPoolId: poolId, Identifier: 'nope', Name: 'n' }))),
      refused(corral.idp.send(new DeleteResourceServerCommand({ UserPoolId: poolId, Identifier: 'nope' }))),
    ]);
    expect(answers).toEqual([missing, missing, missing]);
    expect((await corral.idp.send(new ListResourceServersCommand({ UserPoolId: poolId, MaxResults: 50 }))).ResourceServers!.map((s) => s.Identifier)).toEqual([
      'https://api.example.com',
    ]);
  });

  it('groups: a taken name is GroupExistsException; an unknown group is "Group not found."', async () => {
    await corral.idp.send(new CreateGroupCommand({ UserPoolId: poolId, GroupName: 'riders' }));
    expect(await refused(corral.idp.send(new CreateGroupCommand({ UserPoolId: poolId, GroupName: 'riders' })))).toEqual([
      'GroupExistsException',
      'A group with the name already exists.',
    ]);
    const notFound: [string, string] = ['ResourceNotFoundException', 'Group not found.'];
    const answers = await Promise.all([
      refused(corral.idp.send(new GetGroupCommand({ UserPoolId: poolId, GroupName: 'nope' }))),
      refused(corral.idp.send(new UpdateGroupCommand({ UserPoolId: poolId, GroupName: 'nope', Description: 'd' }))),
      refused(corral.idp.send(new DeleteGroupCommand({ UserPoolId: poolId, GroupName: 'nope' }))),
    ]);
    expect(answers).toEqual([notFound, notFound, notFound]);
    expect((await corral.idp.send(new ListGroupsCommand({ UserPoolId: poolId }))).Groups!.map((g) => g.GroupName)).toEqual(['riders']);
  });

  it('tags: an ARN naming no pool is not found; a malformed ARN fails validation', async () => {
    const missing: [string, string] = ['ResourceNotFoundException', `Resource ${GHOST_ARN} does not exist.`];
    const answers = await Promise.all([
      refused(corral.idp.send(new TagResourceCommand({ ResourceArn: GHOST_ARN, Tags: { a: '1' } }))),
      refused(corral.idp.send(new UntagResourceCommand({ ResourceArn: GHOST_ARN, TagKeys: ['a'] }))),
      refused(corral.idp.send(new ListTagsForResourceCommand({ ResourceArn: GHOST_ARN }))),
    ]);
    expect(answers).toEqual([missing, missing, missing]);
    const [name, message] = await refused(corral.idp.send(new ListTagsForResourceCommand({ ResourceArn: 'not-an-arn-at-all-no' })));
    expect(name).toBe('InvalidParameterException');
    expect(message).toMatch(
      /^1 validation error detected: Value 'not-an-arn-at-all-no' at 'resourceArn' failed to satisfy constraint: Member must satisfy regular expression pattern/,
    );
    const arn = (await corral.idp.send(new DescribeUserPoolCommand({ UserPoolId: poolId }))).UserPool!.Arn!;
    await corral.idp.send(new TagResourceCommand({ ResourceArn: arn, Tags: { team: 'rides' } }));
    expect((await corral.idp.send(new ListTagsForResourceCommand({ ResourceArn: arn }))).Tags).toEqual({ team: 'rides' });
  });
});

describeEachBackend('fidelity: DeleteUserPool', (backend) => {
  let corral: TestCorral;
  beforeAll(async () => {
    corral = await startTestCorral({ backend });
  });
  afterAll(() => corral.stop());

  it('refuses while deletion protection is active, then while a domain is configured; deletes once both are gone', async () => {
    const id = (await corral.idp.send(new CreateUserPoolCommand({ PoolName: 'guarded', DeletionProtection: 'ACTIVE' }))).UserPool!.Id!;
    const prefix = `guarded-${backend}-${Date.now().toString(36)}`;
    await corral.idp.send(new CreateUserPoolDomainCommand({ UserPoolId: id, Domain: prefix }));
    // AWS's words, from the CLI against AWS (e.g. the deletion-protection walkthroughs quoting
    // "An error occurred (InvalidParameterException) when calling the DeleteUserPool operation: The user pool cannot
    // be deleted because deletion protection is activated. Deletion protection must be inactivated first.").
    expect(await refused(corral.idp.send(new DeleteUserPoolCommand({ UserPoolId: id })))).toEqual([
      'InvalidParameterException',
      'The user pool cannot be deleted because deletion protection is activated. Deletion protection must be inactivated first.',
    ]);
    await corral.idp.send(new UpdateUserPoolCommand({ UserPoolId: id, DeletionProtection: 'INACTIVE' }));
    // AWS: "InvalidParameterException: User pool cannot be deleted. It has a domain configured that should be deleted
    // first." (rebuy-de/aws-nuke#330, hashicorp/terraform-provider-aws#16479).
    expect(await refused(corral.idp.send(new DeleteUserPoolCommand({ UserPoolId: id })))).toEqual([
      'InvalidParameterException',
      'User pool cannot be deleted. It has a domain configured that should be deleted first.',
    ]);
    expect((await corral.idp.send(new DescribeUserPoolCommand({ UserPoolId: id }))).UserPool!.Domain).toBe(prefix);
    await corral.idp.send(new DeleteUserPoolDomainCommand({ UserPoolId: id, Domain: prefix }));
    await corral.idp.send(new DeleteUserPoolCommand({ UserPoolId: id }));
    expect(await refused(corral.idp.send(new DescribeUserPoolCommand({ UserPoolId: id })))).toEqual([
      'ResourceNotFoundException',
      `User pool ${id} does not exist.`,
    ]);
  });
});
