import {
  AddCustomAttributesCommand,
  CreateUserPoolCommand,
  DeleteUserPoolCommand,
  DescribeUserPoolCommand,
  GetUserPoolMfaConfigCommand,
  ListTagsForResourceCommand,
  ListUserPoolsCommand,
  SetUserPoolMfaConfigCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateUserPoolCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachBackend, startTestCorral, type TestCorral } from '../support/corral.js';
import { fail } from '../support/rejection.js';

/** The WildRydes pool of the seed walkthrough, as the console's choices translate to the API. */
const seedPool = {
  PoolName: 'WildRydes',
  AliasAttributes: ['email' as const, 'phone_number' as const],
  Schema: [{ Name: 'genre', AttributeDataType: 'String' as const, Mutable: true }],
  AutoVerifiedAttributes: ['email' as const],
  MfaConfiguration: 'OFF' as const,
};

describeEachBackend('user pools', (backend) => {
  let corral: TestCorral;
  beforeAll(async () => {
    corral = await startTestCorral({ backend });
  });
  afterAll(() => corral.stop());

  it('creates the seed pool and describes it back with Cognito defaults', async () => {
    const created = (await corral.idp.send(new CreateUserPoolCommand(seedPool))).UserPool!;
    expect(created.Id).toMatch(/^us-east-1_[0-9A-Za-z]{9}$/);
    const p = (await corral.idp.send(new DescribeUserPoolCommand({ UserPoolId: created.Id }))).UserPool!;
    expect(p.Id).toBe(created.Id);
    expect(p.Name).toBe('WildRydes');
    expect(p.Arn).toBe(`arn:aws:cognito-idp:us-east-1:000000000000:userpool/${created.Id}`);
    expect(p.AliasAttributes).toEqual(['email', 'phone_number']);
    expect(p.UsernameAttributes).toBeUndefined();
    expect(p.AutoVerifiedAttributes).toEqual(['email']);
    expect(p.MfaConfiguration).toBe('OFF');
    expect(p.DeviceConfiguration).toBeUndefined();
    expect(p.Policies).toEqual({
      PasswordPolicy: {
        MinimumLength: 8,
        RequireUppercase: true,
        RequireLowercase: true,
        RequireNumbers: true,
        RequireSymbols: true,
        TemporaryPasswordValidityDays: 7,
      },
    });
    expect(p.LambdaConfig).toEqual({});
    expect(p.VerificationMessageTemplate).toEqual({ DefaultEmailOption: 'CONFIRM_WITH_CODE' });
    expect(p.EmailConfiguration).toEqual({ EmailSendingAccount: 'COGNITO_DEFAULT' });
    expect(p.AdminCreateUserConfig).toEqual({ AllowAdminCreateUserOnly: false, UnusedAccountValidityDays: 7 });
    expect(p.UserPoolTags).toEqual({});
    expect(p.DeletionProtection).toBe('INACTIVE');
    expect(p.UserPoolTier).toBe('ESSENTIALS');
    expect(p.EstimatedNumberOfUsers).toBe(0);
    expect(p.Domain).toBeUndefined();
    expect(p.CreationDate).toBeInstanceOf(Date);
    expect(Math.abs(p.CreationDate!.getTime() - Date.now())).toBeLessThan(60_000);
    expect(p.LastModifiedDate).toEqual(p.CreationDate);

    const names = p.SchemaAttributes!.map((a) => a.Name);
    expect(names).toEqual([
      'sub',
      'name',
      'given_name',
      'family_name',
      'middle_name',
      'nickname',
      'preferred_username',
      'profile',
      'picture',
      'website',
      'email',
      'email_verified',
      'gender',
      'birthdate',
      'zoneinfo',
      'locale',
      'phone_number',
      'phone_number_verified',
      'address',
      'updated_at',
      'identities',
      'custom:genre',
    ]);
    const attr = (n: string) => p.SchemaAttributes!.find((a) => a.Name === n);
    expect(attr('sub')).toEqual({
      Name: 'sub',
      AttributeDataType: 'String',
      DeveloperOnlyAttribute: false,
      Mutable: false,
      Required: true,
      StringAttributeConstraints: { MinLength: '1', MaxLength: '2048' },
    });
    expect(attr('email_verified')).toEqual({
      Name: 'email_verified',
      AttributeDataType: 'Boolean',
      DeveloperOnlyAttribute: false,
      Mutable: true,
      Required: false,
    });
    expect(attr('birthdate')?.StringAttributeConstraints).toEqual({ MinLength: '10', MaxLength: '10' });
    expect(attr('updated_at')).toMatchObject({ AttributeDataType: 'Number', NumberAttributeConstraints: { MinValue: '0' } });
    expect(attr('custom:genre')).toEqual({
      Name: 'custom:genre',
      AttributeDataType: 'String',
      DeveloperOnlyAttribute: false,
      Mutable: true,
      Required: false,
      StringAttributeConstraints: {},
    });
  });

  it('stores explicit settings and rejects invalid combinations', async () => {
    const p = (
      await corral.idp.send(
        new CreateUserPoolCommand({
          PoolName: 'explicit',
          UsernameAttributes: ['email'],
          UsernameConfiguration: { CaseSensitive: false },
          Policies: { PasswordPolicy: { MinimumLength: 12, RequireNumbers: true } },
          Schema: [
            { Name: 'email', Required: true },
            { Name: 'age', AttributeDataType: 'Number', NumberAttributeConstraints: { MinValue: '0', MaxValue: '150' } },
          ],
          VerificationMessageTemplate: { SmsMessage: 'Code: {####}', EmailSubject: 'Welcome' },
          DeviceConfiguration: { ChallengeRequiredOnNewDevice: true },
          AccountRecoverySetting: { RecoveryMechanisms: [{ Name: 'verified_email', Priority: 1 }] },
          UserPoolTags: { team: 'rides' },
          DeletionProtection: 'ACTIVE',
        }),
      )
    ).UserPool!;
    expect(p.UsernameAttributes).toEqual(['email']);
    expect(p.UsernameConfiguration).toEqual({ CaseSensitive: false });
    expect(p.Policies!.PasswordPolicy).toEqual({
      MinimumLength: 12,
      RequireUppercase: false,
      RequireLowercase: false,
      RequireNumbers: true,
      RequireSymbols: false,
      TemporaryPasswordValidityDays: 7,
    });
    expect(p.SchemaAttributes!.find((a) => a.Name === 'email')!.Required).toBe(true);
    expect(p.SchemaAttributes!.find((a) => a.Name === 'custom:age')!.NumberAttributeConstraints).toEqual({ MinValue: '0', MaxValue: '150' });
    expect(p.VerificationMessageTemplate).toEqual({ SmsMessage: 'Code: {####}', EmailSubject: 'Welcome', DefaultEmailOption: 'CONFIRM_WITH_CODE' });
    expect(p.SmsVerificationMessage).toBe('Code: {####}');
    expect(p.EmailVerificationSubject).toBe('Welcome');
    expect(p.DeviceConfiguration).toEqual({ ChallengeRequiredOnNewDevice: true, DeviceOnlyRememberedOnUserPrompt: false });
    expect(p.AccountRecoverySetting).toEqual({ RecoveryMechanisms: [{ Name: 'verified_email', Priority: 1 }] });

    const deleteErr = await fail(corral.idp.send(new DeleteUserPoolCommand({ UserPoolId: p.Id })));
    expect(deleteErr.name).toBe('InvalidParameterException');
    expect(deleteErr.message).toBe('The user pool cannot be deleted because deletion protection is activated. Deletion protection must be inactivated first.');

    const both = await fail(corral.idp.send(new CreateUserPoolCommand({ PoolName: 'x', UsernameAttributes: ['email'], AliasAttributes: ['email'] })));
    expect(both.name).toBe('InvalidParameterException');
    expect(both.message).toBe('Only one of the aliasAttributes or usernameAttributes can be set in a User Pool.');
    const short = await fail(corral.idp.send(new CreateUserPoolCommand({ PoolName: 'x', Policies: { PasswordPolicy: { MinimumLength: 5 } } })));
    expect(short.message).toMatch(/^1 validation error detected: .*minimumLength.*greater than or equal to 6/);
    const noCode = await fail(corral.idp.send(new CreateUserPoolCommand({ PoolName: 'x', VerificationMessageTemplate: { SmsMessage: 'no placeholder' } })));
    expect(noCode.name).toBe('InvalidParameterException');
    const required = await fail(corral.idp.send(new CreateUserPoolCommand({ PoolName: 'x', Schema: [{ Name: 'genre', Required: true }] })));
    expect(required.message).toBe('Required custom attributes are not supported currently.');
    const mfaOn = await fail(corral.idp.send(new CreateUserPoolCommand({ PoolName: 'x', MfaConfiguration: 'ON' })));
    expect(mfaOn.message).toBe('SMS configuration and Auto verification for phone_number are required when MFA is required/optional');
  });

  it('resets unspecified settings to defaults on UpdateUserPool and keeps the schema', async () => {
    const id = (await corral.idp.send(new CreateUserPoolCommand(seedPool))).UserPool!.Id!;
    const before = (await corral.idp.send(new DescribeUserPoolCommand({ UserPoolId: id }))).UserPool!;
    await new Promise((r) => setTimeout(r, 20));
    await corral.idp.send(
      new UpdateUserPoolCommand({
        UserPoolId: id,
        Policies: { PasswordPolicy: { MinimumLength: 10 } },
        DeviceConfiguration: { DeviceOnlyRememberedOnUserPrompt: true },
      }),
    );
    const p = (await corral.idp.send(new DescribeUserPoolCommand({ UserPoolId: id }))).UserPool!;
    expect(p.Policies!.PasswordPolicy!.MinimumLength).toBe(10);
    expect(p.DeviceConfiguration).toEqual({ ChallengeRequiredOnNewDevice: false, DeviceOnlyRememberedOnUserPrompt: true });
    expect(p.AutoVerifiedAttributes).toBeUndefined(); // not given: reset
    expect(p.AliasAttributes).toEqual(['email', 'phone_number']); // not updatable: kept
    expect(p.SchemaAttributes).toEqual(before.SchemaAttributes);
    expect(p.Name).toBe('WildRydes');
    expect(p.CreationDate).toEqual(before.CreationDate);
    expect(p.LastModifiedDate!.getTime()).toBeGreaterThan(before.LastModifiedDate!.getTime());

    const missing = await fail(corral.idp.send(new UpdateUserPoolCommand({ UserPoolId: 'us-east-1_nope12345' })));
    expect(missing.name).toBe('ResourceNotFoundException');
    expect(missing.message).toBe('User pool us-east-1_nope12345 does not exist.');
  });

  it('adds custom attributes with Cognito rules', async () => {
    const id = (await corral.idp.send(new CreateUserPoolCommand(seedPool))).UserPool!.Id!;
    await corral.idp.send(
      new AddCustomAttributesCommand({
        UserPoolId: id,
        CustomAttributes: [
          { Name: 'tier', AttributeDataType: 'Number' },
          { Name: 'joined', AttributeDataType: 'DateTime', Mutable: false },
        ],
      }),
    );
    const schema = (await corral.idp.send(new DescribeUserPoolCommand({ UserPoolId: id }))).UserPool!.SchemaAttributes!;
    expect(schema.find((a) => a.Name === 'custom:joined')).toEqual({
      Name: 'custom:joined',
      AttributeDataType: 'DateTime',
      DeveloperOnlyAttribute: false,
      Mutable: false,
      Required: false,
    });
    const dup = await fail(
      corral.idp.send(new AddCustomAttributesCommand({ UserPoolId: id, CustomAttributes: [{ Name: 'genre', AttributeDataType: 'String' }] })),
    );
    expect(dup.name).toBe('InvalidParameterException');
    expect(dup.message).toBe('custom:genre: Existing attribute already has name custom:genre.');
    const long = await fail(corral.idp.send(new AddCustomAttributesCommand({ UserPoolId: id, CustomAttributes: [{ Name: 'x'.repeat(21) }] })));
    expect(long.name).toBe('InvalidParameterException');
    const many = Array.from({ length: 26 }, (_, i) => ({ Name: `a${i}` }));
    expect((await fail(corral.idp.send(new AddCustomAttributesCommand({ UserPoolId: id, CustomAttributes: many })))).name).toBe('InvalidParameterException');
    for (let i = 0; i < 2; i++) {
      await corral.idp.send(
        new AddCustomAttributesCommand({ UserPoolId: id, CustomAttributes: Array.from({ length: 23 }, (_, j) => ({ Name: `b${i}_${j}` })) }),
      );
    }
    // 3 + 46 = 49 custom attributes; two more pass 50.
    const over = await fail(corral.idp.send(new AddCustomAttributesCommand({ UserPoolId: id, CustomAttributes: [{ Name: 'c1' }, { Name: 'c2' }] })));
    expect(over.name).toBe('InvalidParameterException');
  });

  it('stores the MFA configuration and keeps DescribeUserPool in step', async () => {
    const id = (await corral.idp.send(new CreateUserPoolCommand(seedPool))).UserPool!.Id!;
    expect(await corral.idp.send(new GetUserPoolMfaConfigCommand({ UserPoolId: id }))).toMatchObject({
      MfaConfiguration: 'OFF',
      SoftwareTokenMfaConfiguration: { Enabled: false },
    });
    const noFactor = await fail(corral.idp.send(new SetUserPoolMfaConfigCommand({ UserPoolId: id, MfaConfiguration: 'ON' })));
    expect(noFactor.message).toBe("Invalid MFA configuration given, can't disable all MFAs with a required or optional configuration.");
    const out = await corral.idp.send(
      new SetUserPoolMfaConfigCommand({ UserPoolId: id, MfaConfiguration: 'OPTIONAL', SoftwareTokenMfaConfiguration: { Enabled: true } }),
    );
    expect(out.MfaConfiguration).toBe('OPTIONAL');
    expect(out.SoftwareTokenMfaConfiguration).toEqual({ Enabled: true });
    const got = await corral.idp.send(new GetUserPoolMfaConfigCommand({ UserPoolId: id }));
    expect(got.MfaConfiguration).toBe('OPTIONAL');
    expect(got.SoftwareTokenMfaConfiguration).toEqual({ Enabled: true });
    expect(got.SmsMfaConfiguration).toBeUndefined();
    expect((await corral.idp.send(new DescribeUserPoolCommand({ UserPoolId: id }))).UserPool!.MfaConfiguration).toBe('OPTIONAL');
    const sms = { SnsCallerArn: 'arn:aws:iam::000000000000:role/sms', ExternalId: 'x' };
    await corral.idp.send(
      new SetUserPoolMfaConfigCommand({
        UserPoolId: id,
        MfaConfiguration: 'ON',
        SmsMfaConfiguration: { SmsAuthenticationMessage: 'Code {####}', SmsConfiguration: sms },
      }),
    );
    const p = (await corral.idp.send(new DescribeUserPoolCommand({ UserPoolId: id }))).UserPool!;
    expect(p.MfaConfiguration).toBe('ON');
    expect(p.SmsConfiguration).toEqual(sms);
    expect(p.SmsAuthenticationMessage).toBe('Code {####}');
    const both = await fail(
      corral.idp.send(new SetUserPoolMfaConfigCommand({ UserPoolId: id, MfaConfiguration: 'OFF', SoftwareTokenMfaConfiguration: { Enabled: true } })),
    );
    expect(both.message).toBe("Invalid MFA configuration given, can't turn off MFA and configure an MFA together.");
  });

  it('lists pools page by page', async () => {
    const ids = new Set<string>();
    for (let i = 0; i < 5; i++) ids.add((await corral.idp.send(new CreateUserPoolCommand({ PoolName: `page-${i}` }))).UserPool!.Id!);
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const out = await corral.idp.send(new ListUserPoolsCommand({ MaxResults: 2, NextToken: token }));
      expect(out.UserPools!.length).toBeLessThanOrEqual(2);
      for (const p of out.UserPools!) {
        expect(Object.keys(p).sort()).toEqual(['CreationDate', 'Id', 'LambdaConfig', 'LastModifiedDate', 'Name']);
        seen.push(p.Id!);
      }
      token = out.NextToken;
      pages++;
    } while (token);
    expect(new Set(seen).size).toBe(seen.length);
    for (const id of ids) expect(seen).toContain(id);
    expect(pages).toBeGreaterThanOrEqual(3);
    const noMax = await fail(corral.idp.send(new ListUserPoolsCommand({} as never)));
    expect(noMax.name).toBe('InvalidParameterException');
    const tooMany = await fail(corral.idp.send(new ListUserPoolsCommand({ MaxResults: 61 })));
    expect(tooMany.message).toMatch(/maxResults.*less than or equal to 60/);
  });

  it('tags pools by ARN and deletes pools', async () => {
    const p = (await corral.idp.send(new CreateUserPoolCommand({ PoolName: 'tagged', UserPoolTags: { a: '1' } }))).UserPool!;
    await corral.idp.send(new TagResourceCommand({ ResourceArn: p.Arn, Tags: { b: '2' } }));
    await corral.idp.send(new UntagResourceCommand({ ResourceArn: p.Arn, TagKeys: ['a'] }));
    expect((await corral.idp.send(new ListTagsForResourceCommand({ ResourceArn: p.Arn }))).Tags).toEqual({ b: '2' });
    expect((await corral.idp.send(new DescribeUserPoolCommand({ UserPoolId: p.Id }))).UserPool!.UserPoolTags).toEqual({ b: '2' });
    await corral.idp.send(new DeleteUserPoolCommand({ UserPoolId: p.Id }));
    const gone = await fail(corral.idp.send(new DescribeUserPoolCommand({ UserPoolId: p.Id })));
    expect(gone.name).toBe('ResourceNotFoundException');
    expect(gone.message).toBe(`User pool ${p.Id} does not exist.`);
    expect((await fail(corral.idp.send(new DeleteUserPoolCommand({ UserPoolId: p.Id })))).name).toBe('ResourceNotFoundException');
  });
});
