// The walkthrough's user pool and app client, created through the API as a user would, and the mailbox reader.
import {
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  type CreateUserPoolClientCommandInput,
  type CreateUserPoolCommandInput,
} from '@aws-sdk/client-cognito-identity-provider';
import type { TestCorral } from './corral.js';

export interface SeedPool {
  poolId: string;
  clientId: string;
}

export async function createWildRydesPool(
  corral: TestCorral,
  pool: Partial<CreateUserPoolCommandInput> = {},
  client: Partial<CreateUserPoolClientCommandInput> = {},
): Promise<SeedPool> {
  const created = await corral.idp.send(
    new CreateUserPoolCommand({
      PoolName: 'WildRydes',
      AliasAttributes: ['email', 'phone_number'],
      AutoVerifiedAttributes: ['email'],
      Schema: [{ Name: 'genre', AttributeDataType: 'String', Mutable: true }],
      MfaConfiguration: 'OFF',
      DeviceConfiguration: { ChallengeRequiredOnNewDevice: false, DeviceOnlyRememberedOnUserPrompt: false },
      ...pool,
    }),
  );
  const poolId = created.UserPool!.Id!;
  const c = await corral.idp.send(
    new CreateUserPoolClientCommand({
      UserPoolId: poolId,
      ClientName: 'wildrydes-web-app',
      GenerateSecret: false,
      ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      PreventUserExistenceErrors: 'ENABLED', // what the console sets (the API's default is LEGACY)
      ...client,
    }),
  );
  return { poolId, clientId: c.UserPoolClient!.ClientId! };
}

/** The newest 6-digit code Corral "sent" to `to`, read from the local mailbox over HTTP. */
export async function latestCode(corral: TestCorral, to: string): Promise<string> {
  const res = await fetch(`${corral.url}/_corral/mail?to=${encodeURIComponent(to)}&limit=1`);
  const { messages } = (await res.json()) as { messages: { body: string }[] };
  const code = /\b(\d{6})\b/.exec(messages[0]?.body ?? '')?.[1];
  if (!code) throw new Error(`no code in the mailbox for ${to}`);
  return code;
}
