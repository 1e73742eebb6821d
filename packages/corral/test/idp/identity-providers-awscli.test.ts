// The AWS CLI's shape of the identity-provider actions: `aws cognito-idp create-identity-provider …` against Corral.
// In CI (CI=true) a missing `aws` is a failure; elsewhere the suite is skipped loudly.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aws, awsIdp, awsIdpError } from '../support/awscli.js';
import { startTestCorral, type TestCorral } from '../support/corral.js';

(aws ? describe : describe.skip)('AWS CLI: identity providers', () => {
  let corral: TestCorral;
  let poolId: string;
  beforeAll(async () => {
    corral = await startTestCorral();
    poolId = (await awsIdp(corral, 'create-user-pool', '--pool-name', 'Federated')).UserPool.Id as string;
  });
  afterAll(() => corral?.stop());
  const cli = (...args: string[]) => awsIdp(corral, ...args);

  it('creates, describes, lists, updates and deletes a Google provider; links a user', async () => {
    const created = await cli(
      'create-identity-provider',
      '--user-pool-id',
      poolId,
      '--provider-name',
      'Google',
      '--provider-type',
      'Google',
      '--provider-details',
      'client_id=abc.apps.googleusercontent.com,client_secret=shh,authorize_scopes=openid email',
      '--attribute-mapping',
      'email=email',
      '--idp-identifiers',
      'gmail.com',
    );
    expect(created.IdentityProvider).toMatchObject({
      UserPoolId: poolId,
      ProviderName: 'Google',
      ProviderType: 'Google',
      AttributeMapping: { email: 'email', username: 'sub' },
      IdpIdentifiers: ['gmail.com'],
    });
    expect(created.IdentityProvider.ProviderDetails.token_url).toBe('https://www.googleapis.com/oauth2/v4/token');
    expect(Math.abs(new Date(created.IdentityProvider.CreationDate).getTime() - Date.now())).toBeLessThan(60_000);

    const described = await cli('describe-identity-provider', '--user-pool-id', poolId, '--provider-name', 'Google');
    expect(described.IdentityProvider.ProviderDetails.client_secret).toBe('shh');
    const listed = await cli('list-identity-providers', '--user-pool-id', poolId);
    expect(listed.Providers.map((p: { ProviderName: string }) => p.ProviderName)).toEqual(['Google']);
    const byId = await cli('get-identity-provider-by-identifier', '--user-pool-id', poolId, '--idp-identifier', 'gmail.com');
    expect(byId.IdentityProvider.ProviderName).toBe('Google');
    const updated = await cli('update-identity-provider', '--user-pool-id', poolId, '--provider-name', 'Google', '--idp-identifiers', 'example.com');
    expect(updated.IdentityProvider.IdpIdentifiers).toEqual(['example.com']);

    const dup = await awsIdpError(
      corral,
      'create-identity-provider',
      '--user-pool-id',
      poolId,
      '--provider-name',
      'Google',
      '--provider-type',
      'Google',
      '--provider-details',
      'client_id=a,client_secret=b,authorize_scopes=openid',
    );
    expect(dup).toContain('(DuplicateProviderException)');
    expect(dup).toContain('A provider with the name Google already exists in this user pool.');

    await cli('admin-create-user', '--user-pool-id', poolId, '--username', 'alice', '--message-action', 'SUPPRESS');
    await cli(
      'admin-link-provider-for-user',
      '--user-pool-id',
      poolId,
      '--destination-user',
      'ProviderName=Cognito,ProviderAttributeValue=alice',
      '--source-user',
      'ProviderName=Google,ProviderAttributeName=Cognito_Subject,ProviderAttributeValue=10987654321',
    );
    const user = await cli('admin-get-user', '--user-pool-id', poolId, '--username', 'alice');
    const identities = JSON.parse(user.UserAttributes.find((a: { Name: string }) => a.Name === 'identities').Value);
    expect(identities).toMatchObject([{ userId: '10987654321', providerName: 'Google', providerType: 'Google', primary: false }]);
    await cli(
      'admin-disable-provider-for-user',
      '--user-pool-id',
      poolId,
      '--user',
      'ProviderName=Google,ProviderAttributeName=Cognito_Subject,ProviderAttributeValue=10987654321',
    );

    await cli('delete-identity-provider', '--user-pool-id', poolId, '--provider-name', 'Google');
    const gone = await awsIdpError(corral, 'describe-identity-provider', '--user-pool-id', poolId, '--provider-name', 'Google');
    expect(gone).toContain('(ResourceNotFoundException)');
  }, 180_000); // fourteen CLI processes, each ~1–3 s to start
});
