// The AWS CLI against a running Corral: pools and app clients with `aws cognito-idp … --endpoint-url`.
// In CI (CI=true) a missing `aws` is a failure; elsewhere the suite is skipped loudly.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aws, awsIdp } from '../support/awscli.js';
import { startTestCorral, type TestCorral } from '../support/corral.js';

(aws ? describe : describe.skip)('AWS CLI against Corral', () => {
  let corral: TestCorral;
  beforeAll(async () => {
    corral = await startTestCorral();
  });
  afterAll(() => corral.stop());

  const cli = (...args: string[]) => awsIdp(corral, ...args);

  it('creates, describes, lists and deletes pools and clients', async () => {
    const created = await cli(
      'create-user-pool',
      '--pool-name',
      'WildRydes',
      '--alias-attributes',
      'email',
      'phone_number',
      '--auto-verified-attributes',
      'email',
      '--schema',
      'Name=genre,AttributeDataType=String,Mutable=true',
    );
    const poolId = created.UserPool.Id as string;
    expect(poolId).toMatch(/^us-east-1_[0-9A-Za-z]{9}$/);
    // the CLI renders the epoch-seconds timestamp as ISO 8601
    expect(Math.abs(new Date(created.UserPool.CreationDate).getTime() - Date.now())).toBeLessThan(60_000);

    const described = (await cli('describe-user-pool', '--user-pool-id', poolId)).UserPool;
    expect(described.Name).toBe('WildRydes');
    expect(described.AliasAttributes).toEqual(['email', 'phone_number']);
    expect(described.MfaConfiguration).toBe('OFF');
    expect(described.Policies.PasswordPolicy.MinimumLength).toBe(8);
    expect(described.SchemaAttributes.map((a: { Name: string }) => a.Name)).toContain('custom:genre');

    const listed = await cli('list-user-pools', '--max-results', '10');
    expect(listed.UserPools.map((p: { Id: string }) => p.Id)).toContain(poolId);

    const client = (await cli('create-user-pool-client', '--user-pool-id', poolId, '--client-name', 'wildrydes-web-app', '--no-generate-secret'))
      .UserPoolClient;
    expect(client.ClientId).toMatch(/^[a-z0-9]{26}$/);
    expect(client.ClientSecret).toBeUndefined();
    const dc = (await cli('describe-user-pool-client', '--user-pool-id', poolId, '--client-id', client.ClientId)).UserPoolClient;
    expect(dc.ClientName).toBe('wildrydes-web-app');
    expect(dc.ExplicitAuthFlows).toEqual(['ALLOW_CUSTOM_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_USER_SRP_AUTH']);

    await cli('delete-user-pool', '--user-pool-id', poolId);
    const err = await cli('describe-user-pool', '--user-pool-id', poolId).then(
      () => undefined,
      (e: { stderr?: string }) => e.stderr ?? '',
    );
    expect(err).toContain('ResourceNotFoundException');
    expect(err).toContain(`User pool ${poolId} does not exist.`);
  });
});
