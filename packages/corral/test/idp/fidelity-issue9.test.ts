// Issue 9, items 1–6: where Corral answered differently from AWS, each seen from a real client over HTTP (SDK v3,
// amazon-cognito-identity-js, the AWS CLI). Each expectation cites the public record of AWS's answer it follows.
import {
  AddCustomAttributesCommand,
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminInitiateAuthCommand,
  AdminUpdateUserAttributesCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DescribeUserPoolClientCommand,
  DescribeUserPoolCommand,
  ForgotPasswordCommand,
  InitiateAuthCommand,
  ResendConfirmationCodeCommand,
  RespondToAuthChallengeCommand,
  SignUpCommand,
  UpdateUserAttributesCommand,
  UpdateUserPoolClientCommand,
  type AttributeType,
  type CognitoIdentityProviderClient,
  type SchemaAttributeType,
} from '@aws-sdk/client-cognito-identity-provider';
import { CreateIdentityPoolCommand, DescribeIdentityPoolCommand, ListIdentityPoolsCommand } from '@aws-sdk/client-cognito-identity';
import { AuthenticationDetails, CognitoUser, CognitoUserPool, type CognitoUserSession } from 'amazon-cognito-identity-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aws, awsIdp, awsIdpError } from '../support/awscli.js';
import { describeEachBackend, startTestCorral, type TestCorral } from '../support/corral.js';
import { createWildRydesPool, latestCode, type SeedPool } from '../support/pools.js';
import { SrpClient, type PasswordVerifierChallenge } from '../support/srp-client.js';
import { publicClient, signUpConfirmed } from '../support/users.js';

const PASSWORD = 'Unicorn!Ride42';
const fail = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (e: Error) => e,
  );

async function srpSignIn(pub: CognitoIdentityProviderClient, poolId: string, clientId: string, username: string) {
  const srp = new SrpClient(poolId);
  const start = await pub.send(
    new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_SRP_AUTH', AuthParameters: { USERNAME: username, SRP_A: srp.srpA } }),
  );
  expect(start.ChallengeName).toBe('PASSWORD_VERIFIER');
  const done = await pub.send(
    new RespondToAuthChallengeCommand({
      ClientId: clientId,
      ChallengeName: 'PASSWORD_VERIFIER',
      Session: start.Session,
      ChallengeResponses: srp.respond(PASSWORD, start.ChallengeParameters as PasswordVerifierChallenge),
    }),
  );
  return done.AuthenticationResult!;
}

describeEachBackend('issue 9 (items 1–6): AWS fidelity seen from real clients', (backend) => {
  let corral: TestCorral;
  let seed: SeedPool;
  let pub: CognitoIdentityProviderClient;
  beforeAll(async () => {
    corral = await startTestCorral({ backend });
    seed = await createWildRydesPool(corral, {
      Schema: [
        { Name: 'genre', AttributeDataType: 'String', Mutable: true },
        { Name: 'tier', AttributeDataType: 'String', DeveloperOnlyAttribute: true },
      ],
    });
    pub = publicClient(corral);
    await signUpConfirmed(corral, seed, 'rider', PASSWORD, { email: 'rider@example.com' });
  });
  afterAll(async () => {
    pub.destroy();
    await corral.stop();
  });

  describe('1. legacy ExplicitAuthFlows', () => {
    const legacyClient = async (flows: string[]) =>
      (
        await corral.idp.send(
          new CreateUserPoolClientCommand({ UserPoolId: seed.poolId, ClientName: `legacy-${flows.length}`, ExplicitAuthFlows: flows as never }),
        )
      ).UserPoolClient!.ClientId!;

    it('a client with only legacy names still allows USER_SRP_AUTH and refresh, as AWS clients made before the ALLOW_ names do', async () => {
      const clientId = await legacyClient(['USER_PASSWORD_AUTH', 'ADMIN_NO_SRP_AUTH']);
      const described = (await corral.idp.send(new DescribeUserPoolClientCommand({ UserPoolId: seed.poolId, ClientId: clientId }))).UserPoolClient!;
      expect(described.ExplicitAuthFlows).toEqual(['USER_PASSWORD_AUTH', 'ADMIN_NO_SRP_AUTH']); // what was set, untranslated

      const srp = await srpSignIn(pub, seed.poolId, clientId, 'rider');
      expect(srp.AccessToken).toBeTruthy();
      const refreshed = await pub.send(
        new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: srp.RefreshToken! } }),
      );
      expect(refreshed.AuthenticationResult!.IdToken).toBeTruthy();
      // The legacy names keep enabling what they always enabled.
      const byPassword = await pub.send(
        new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'rider', PASSWORD } }),
      );
      expect(byPassword.AuthenticationResult!.AccessToken).toBeTruthy();
      const admin = await corral.idp.send(
        new AdminInitiateAuthCommand({
          UserPoolId: seed.poolId,
          ClientId: clientId,
          AuthFlow: 'ADMIN_NO_SRP_AUTH',
          AuthParameters: { USERNAME: 'rider', PASSWORD },
        }),
      );
      expect(admin.AuthenticationResult!.AccessToken).toBeTruthy();
      // …and no more: CUSTOM_AUTH needs CUSTOM_AUTH_FLOW_ONLY.
      const custom = await fail(pub.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'CUSTOM_AUTH', AuthParameters: { USERNAME: 'rider' } })));
      expect([custom.name, custom.message]).toEqual(['InvalidParameterException', 'CUSTOM_AUTH flow not enabled for this client']);
    });

    it("amazon-cognito-identity-js (Amplify's SRP default) signs in and refreshes on a CUSTOM_AUTH_FLOW_ONLY client", async () => {
      const clientId = await legacyClient(['CUSTOM_AUTH_FLOW_ONLY']);
      const pool = new CognitoUserPool({ UserPoolId: seed.poolId, ClientId: clientId, endpoint: corral.url });
      const user = new CognitoUser({ Username: 'rider', Pool: pool });
      const session = await new Promise<CognitoUserSession>((resolve, reject) =>
        user.authenticateUser(new AuthenticationDetails({ Username: 'rider', Password: PASSWORD }), { onSuccess: resolve, onFailure: reject }),
      );
      expect(session.isValid()).toBe(true);
      const again = await new Promise<CognitoUserSession>((resolve, reject) =>
        user.refreshSession(session.getRefreshToken(), (err: Error | null, s: CognitoUserSession) => (err ? reject(err) : resolve(s))),
      );
      expect(again.getIdToken().decodePayload()['cognito:username']).toBe('rider');
    });

    it('mixing legacy and ALLOW_ names is refused, on create and on update; an update to legacy names is described as set', async () => {
      const mixed = ['USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] as never;
      const created = await fail(corral.idp.send(new CreateUserPoolClientCommand({ UserPoolId: seed.poolId, ClientName: 'mixed', ExplicitAuthFlows: mixed })));
      expect([created.name, created.message]).toEqual([
        'InvalidParameterException',
        'ExplicitAuthFlows cannot mix legacy values with values that begin with ALLOW_.',
      ]);
      const clientId = await legacyClient(['ADMIN_NO_SRP_AUTH']);
      const updated = await fail(corral.idp.send(new UpdateUserPoolClientCommand({ UserPoolId: seed.poolId, ClientId: clientId, ExplicitAuthFlows: mixed })));
      expect(updated.name).toBe('InvalidParameterException');
      await corral.idp.send(
        new UpdateUserPoolClientCommand({ UserPoolId: seed.poolId, ClientId: clientId, ExplicitAuthFlows: ['CUSTOM_AUTH_FLOW_ONLY', 'USER_PASSWORD_AUTH'] }),
      );
      const described = (await corral.idp.send(new DescribeUserPoolClientCommand({ UserPoolId: seed.poolId, ClientId: clientId }))).UserPoolClient!;
      expect(described.ExplicitAuthFlows).toEqual(['CUSTOM_AUTH_FLOW_ONLY', 'USER_PASSWORD_AUTH']);
      expect((await srpSignIn(pub, seed.poolId, clientId, 'rider')).AccessToken).toBeTruthy();
    });
  });

  describe('2. email_verified / phone_number_verified in any case', () => {
    it('takes "True"/"FALSE"/"tRuE" and keeps "true"/"false" (AdminCreateUser, AdminUpdateUserAttributes)', async () => {
      await corral.idp.send(
        new AdminCreateUserCommand({
          UserPoolId: seed.poolId,
          Username: 'casey',
          MessageAction: 'SUPPRESS',
          UserAttributes: [
            { Name: 'email', Value: 'casey@example.com' },
            { Name: 'email_verified', Value: 'True' },
            { Name: 'phone_number', Value: '+15555550123' },
            { Name: 'phone_number_verified', Value: 'FALSE' },
          ],
        }),
      );
      const attrs = async () =>
        Object.fromEntries(
          ((await corral.idp.send(new AdminGetUserCommand({ UserPoolId: seed.poolId, Username: 'casey' }))).UserAttributes ?? []).map((a) => [a.Name, a.Value]),
        );
      expect(await attrs()).toMatchObject({ email_verified: 'true', phone_number_verified: 'false' });
      await corral.idp.send(
        new AdminUpdateUserAttributesCommand({
          UserPoolId: seed.poolId,
          Username: 'casey',
          UserAttributes: [{ Name: 'phone_number_verified', Value: 'tRuE' }],
        }),
      );
      expect((await attrs()).phone_number_verified).toBe('true');
      const bad = await fail(
        corral.idp.send(
          new AdminUpdateUserAttributesCommand({ UserPoolId: seed.poolId, Username: 'casey', UserAttributes: [{ Name: 'email_verified', Value: 'yes' }] }),
        ),
      );
      expect([bad.name, bad.message]).toEqual([
        'InvalidParameterException',
        'Attributes did not conform to the schema: email_verified: Value must be true or false.',
      ]);
    });
  });

  describe('3. masked destinations', () => {
    it('an email is t***@e*** (nothing after the domain’s first letter) in SignUp, ResendConfirmationCode and ForgotPassword', async () => {
      const signUp = await pub.send(
        new SignUpCommand({
          ClientId: seed.clientId,
          Username: 'taylor',
          Password: PASSWORD,
          UserAttributes: [{ Name: 'email', Value: 'taylor@example.com' }],
        }),
      );
      expect(signUp.CodeDeliveryDetails).toEqual({ AttributeName: 'email', DeliveryMedium: 'EMAIL', Destination: 't***@e***' });
      const resent = await pub.send(new ResendConfirmationCodeCommand({ ClientId: seed.clientId, Username: 'taylor' }));
      expect(resent.CodeDeliveryDetails!.Destination).toBe('t***@e***');
      const forgot = await pub.send(new ForgotPasswordCommand({ ClientId: seed.clientId, Username: 'rider' }));
      expect(forgot.CodeDeliveryDetails).toEqual({ AttributeName: 'email', DeliveryMedium: 'EMAIL', Destination: 'r***@e***' });
      // The code still reaches the whole address.
      expect(await latestCode(corral, 'taylor@example.com')).toMatch(/^\d{6}$/);
    });

    it.skipIf(!aws)('the AWS CLI prints the same masked destination', async () => {
      const out = await awsIdp(
        corral,
        'sign-up',
        '--client-id',
        seed.clientId,
        '--username',
        'morgan',
        '--password',
        PASSWORD,
        '--user-attributes',
        'Name=email,Value=morgan@wildrydes.com',
      );
      expect(out.CodeDeliveryDetails).toEqual({ Destination: 'm***@w***', DeliveryMedium: 'EMAIL', AttributeName: 'email' });
    });
  });

  describe('4. cognito-identity input errors', () => {
    // moto's test_create_identity_pool_invalid_name / _valid_name (getmoto/moto#4415, "verified against AWS").
    it('IdentityPoolName with #, ! or ? is a ValidationException worded as AWS words it', async () => {
      for (const name of ['pool#name', 'with!excl', 'with?quest']) {
        const err = await fail(corral.identity.send(new CreateIdentityPoolCommand({ IdentityPoolName: name, AllowUnauthenticatedIdentities: false })));
        expect(err.name).toBe('ValidationException');
        expect(err.message).toBe(
          `1 validation error detected: Value '${name}' at 'identityPoolName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w\\s+=,.@-]+`,
        );
      }
      for (const name of ['x', 'pool-', 'pool_name', 'with space']) {
        const created = await corral.identity.send(new CreateIdentityPoolCommand({ IdentityPoolName: name, AllowUnauthenticatedIdentities: false }));
        expect((await corral.identity.send(new DescribeIdentityPoolCommand({ IdentityPoolId: created.IdentityPoolId }))).IdentityPoolName).toBe(name);
      }
    });

    it('any model-validation failure on the identity-pool API is a ValidationException; the user-pool API keeps InvalidParameterException', async () => {
      const missing = await fail(corral.identity.send(new ListIdentityPoolsCommand({} as never)));
      expect([missing.name, missing.message]).toEqual([
        'ValidationException',
        "1 validation error detected: Value null at 'maxResults' failed to satisfy constraint: Member must not be null",
      ]);
      const range = await fail(corral.identity.send(new ListIdentityPoolsCommand({ MaxResults: 61 })));
      expect(range.name).toBe('ValidationException');
      const idp = await fail(corral.idp.send(new DescribeUserPoolCommand({ UserPoolId: 'not a pool' })));
      expect(idp.name).toBe('InvalidParameterException');
    });
  });

  describe('5. developer-only attributes', () => {
    it('are named dev:custom:<name> in the schema, in messages and on the user', async () => {
      const schema = (await corral.idp.send(new DescribeUserPoolCommand({ UserPoolId: seed.poolId }))).UserPool!.SchemaAttributes!;
      expect(schema.find((a) => a.DeveloperOnlyAttribute)).toEqual({
        Name: 'dev:custom:tier',
        AttributeDataType: 'String',
        DeveloperOnlyAttribute: true,
        Mutable: true,
        Required: false,
        StringAttributeConstraints: {},
      });
      // "custom:banana: Existing attribute already has name dev:custom:banana." (moto's test_add_custom_attributes_existing_attribute)
      const dup = await fail(
        corral.idp.send(new AddCustomAttributesCommand({ UserPoolId: seed.poolId, CustomAttributes: [{ Name: 'tier', AttributeDataType: 'String' }] })),
      );
      expect([dup.name, dup.message]).toEqual(['InvalidParameterException', 'custom:tier: Existing attribute already has name dev:custom:tier.']);
      await corral.idp.send(
        new AdminUpdateUserAttributesCommand({ UserPoolId: seed.poolId, Username: 'rider', UserAttributes: [{ Name: 'dev:custom:tier', Value: 'gold' }] }),
      );
      const user = await corral.idp.send(new AdminGetUserCommand({ UserPoolId: seed.poolId, Username: 'rider' }));
      expect(user.UserAttributes).toContainEqual({ Name: 'dev:custom:tier', Value: 'gold' });
      const old = await fail(
        corral.idp.send(
          new AdminUpdateUserAttributesCommand({ UserPoolId: seed.poolId, Username: 'rider', UserAttributes: [{ Name: 'dev:tier', Value: 'x' }] }),
        ),
      );
      expect(old.message).toBe('Attributes did not conform to the schema: dev:tier: Attribute does not exist in the schema.');
    });

    it.skipIf(!aws)('AddCustomAttributes through the AWS CLI names a developer-only attribute dev:custom:', async () => {
      await awsIdp(
        corral,
        'add-custom-attributes',
        '--user-pool-id',
        seed.poolId,
        '--custom-attributes',
        'Name=badge,AttributeDataType=Number,DeveloperOnlyAttribute=true',
      );
      const out = await awsIdp(corral, 'describe-user-pool', '--user-pool-id', seed.poolId);
      const names = (out.UserPool.SchemaAttributes as SchemaAttributeType[]).map((a) => a.Name);
      expect(names).toContain('dev:custom:badge');
      expect(names).not.toContain('dev:badge');
    });
  });

  describe('6. schema checks', () => {
    const createPool = (Schema: SchemaAttributeType[]) => corral.idp.send(new CreateUserPoolCommand({ PoolName: 'schema', Schema }));
    const refusal = async (Schema: SchemaAttributeType[]) => {
      const e = await fail(createPool(Schema));
      return [e.name, e.message];
    };

    // Messages from moto's cognito-idp tests (test_create_user_pool_invalid_schema_values,
    // test_create_user_pool_string_schema_max_length_over_2048, test_create_user_pool_*_schema_min_bigger_than_max).
    it('Number attributes: non-numeric or inverted MinValue/MaxValue are refused', async () => {
      expect(await refusal([{ Name: 'age', AttributeDataType: 'Number', NumberAttributeConstraints: { MinValue: 'ten' } }])).toEqual([
        'InvalidParameterException',
        'Invalid NumberAttributeConstraints for schema attribute custom:age',
      ]);
      expect(await refusal([{ Name: 'updated_at', AttributeDataType: 'Number', NumberAttributeConstraints: { MaxValue: 'invalid_value' } }])).toEqual([
        'InvalidParameterException',
        'Invalid NumberAttributeConstraints for schema attribute updated_at',
      ]);
      expect(await refusal([{ Name: 'age', AttributeDataType: 'Number', NumberAttributeConstraints: { MinValue: '2', MaxValue: '1' } }])).toEqual([
        'InvalidParameterException',
        'user.custom:age: Max value cannot be less than min value.',
      ]);
      expect(await refusal([{ Name: 'updated_at', AttributeDataType: 'Number', NumberAttributeConstraints: { MinValue: '2', MaxValue: '1' } }])).toEqual([
        'InvalidParameterException',
        'user.updated_at: Max value cannot be less than min value.',
      ]);
    });

    it('String constraints beyond 2048, non-numeric or inverted are refused with AWS’s messages', async () => {
      for (const c of [{ MinLength: '2049' }, { MaxLength: '2049' }]) {
        expect(await refusal([{ Name: 'email', AttributeDataType: 'String', StringAttributeConstraints: c }])).toEqual([
          'InvalidParameterException',
          'user.email: String attributes cannot have a length of more than 2048',
        ]);
      }
      expect(await refusal([{ Name: 'bio', AttributeDataType: 'String', StringAttributeConstraints: { MaxLength: '4096' } }])).toEqual([
        'InvalidParameterException',
        'user.custom:bio: String attributes cannot have a length of more than 2048',
      ]);
      expect(await refusal([{ Name: 'email', AttributeDataType: 'String', StringAttributeConstraints: { MinLength: 'invalid_value' } }])).toEqual([
        'InvalidParameterException',
        'Invalid StringAttributeConstraints for schema attribute email',
      ]);
      expect(await refusal([{ Name: 'email', AttributeDataType: 'String', StringAttributeConstraints: { MinLength: '2', MaxLength: '1' } }])).toEqual([
        'InvalidParameterException',
        'user.email: Max length cannot be less than min length.',
      ]);
      const e = await fail(
        corral.idp.send(
          new AddCustomAttributesCommand({
            UserPoolId: seed.poolId,
            CustomAttributes: [{ Name: 'long', AttributeDataType: 'String', StringAttributeConstraints: { MaxLength: '2049' } }],
          }),
        ),
      );
      expect(e.message).toBe('user.custom:long: String attributes cannot have a length of more than 2048');
    });

    it('NumberAttributeConstraints / StringAttributeConstraints are returned only for their own type (moto test_create_user_pool_attribute_with_schema)', async () => {
      const both = { NumberAttributeConstraints: { MinValue: '10', MaxValue: '20' }, StringAttributeConstraints: { MinLength: '10', MaxLength: '20' } };
      const id = (
        await createPool([
          { Name: 'string', AttributeDataType: 'String', ...both },
          { Name: 'number', AttributeDataType: 'Number', ...both },
          { Name: 'boolean', AttributeDataType: 'Boolean', ...both },
          { Name: 'email', ...both },
          { Name: 'updated_at', ...both },
        ])
      ).UserPool!.Id!;
      const schema = (await corral.idp.send(new DescribeUserPoolCommand({ UserPoolId: id }))).UserPool!.SchemaAttributes!;
      const attr = (n: string) => schema.find((a) => a.Name === n)!;
      expect(attr('custom:string').StringAttributeConstraints).toEqual({ MinLength: '10', MaxLength: '20' });
      expect(attr('custom:string').NumberAttributeConstraints).toBeUndefined();
      expect(attr('custom:number').NumberAttributeConstraints).toEqual({ MinValue: '10', MaxValue: '20' });
      expect(attr('custom:number').StringAttributeConstraints).toBeUndefined();
      expect(attr('custom:boolean').NumberAttributeConstraints).toBeUndefined();
      expect(attr('custom:boolean').StringAttributeConstraints).toBeUndefined();
      expect(attr('email').StringAttributeConstraints).toEqual({ MinLength: '10', MaxLength: '20' });
      expect(attr('email').NumberAttributeConstraints).toBeUndefined();
      expect(attr('updated_at').NumberAttributeConstraints).toEqual({ MinValue: '10', MaxValue: '20' });
      expect(attr('updated_at').StringAttributeConstraints).toBeUndefined();
    });

    // "Attribute value for middle_name must not be null": Cognito's answer to a SignUp whose attribute had no value
    // (aws-amplify/amplify-js#3174).
    it('an attribute sent without Value is refused in SignUp, AdminCreateUser and UpdateUserAttributes, never stored as ""', async () => {
      const noValue = [{ Name: 'name' }] as AttributeType[];
      const signUp = await fail(
        pub.send(
          new SignUpCommand({
            ClientId: seed.clientId,
            Username: 'novalue',
            Password: PASSWORD,
            UserAttributes: [{ Name: 'email', Value: 'nv@example.com' }, ...noValue],
          }),
        ),
      );
      expect([signUp.name, signUp.message]).toEqual(['InvalidParameterException', 'Attribute value for name must not be null']);
      const created = await fail(
        corral.idp.send(new AdminCreateUserCommand({ UserPoolId: seed.poolId, Username: 'novalue', MessageAction: 'SUPPRESS', UserAttributes: noValue })),
      );
      expect([created.name, created.message]).toEqual(['InvalidParameterException', 'Attribute value for name must not be null']);
      const { AccessToken } = await srpSignIn(pub, seed.poolId, seed.clientId, 'rider');
      const updated = await fail(pub.send(new UpdateUserAttributesCommand({ AccessToken, UserAttributes: [{ Name: 'custom:genre' }] })));
      expect([updated.name, updated.message]).toEqual(['InvalidParameterException', 'Attribute value for custom:genre must not be null']);
      const admin = await fail(
        corral.idp.send(new AdminUpdateUserAttributesCommand({ UserPoolId: seed.poolId, Username: 'rider', UserAttributes: [{ Name: 'custom:genre' }] })),
      );
      expect(admin.message).toBe('Attribute value for custom:genre must not be null');
      const user = await corral.idp.send(new AdminGetUserCommand({ UserPoolId: seed.poolId, Username: 'rider' }));
      expect(user.UserAttributes!.map((a) => a.Name)).not.toContain('custom:genre');
    });

    it.skipIf(!aws)('the AWS CLI sees the same refusals', async () => {
      const stderr = await awsIdpError(
        corral,
        'admin-update-user-attributes',
        '--user-pool-id',
        seed.poolId,
        '--username',
        'rider',
        '--user-attributes',
        'Name=name',
      );
      expect(stderr).toMatch(/\(InvalidParameterException\) when calling the AdminUpdateUserAttributes operation.*: Attribute value for name must not be null/);
    });
  });
});
