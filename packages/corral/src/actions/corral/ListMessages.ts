// CorralAdmin.ListMessages: the outbox (messaging/outbox.ts), newest first, by pool and recipient, each message with
// the code it carries when it can be told (message-code.ts). The admin's only: the call is signed with the admin pair.
import type { UserPoolType } from '@aws-sdk/client-cognito-identity-provider';
import { action } from '../../wire/actions.js';
import { listMessages } from '../../messaging/index.js';
import { findPool } from '../../domain/pools.js';
import { messageCode } from './message-code.js';

interface ListMessagesRequest {
  UserPoolId?: string;
  Recipient?: string;
  MaxResults?: number;
}

interface Message {
  Id: string;
  UserPoolId: string;
  Medium: 'email' | 'sms';
  To: string;
  Subject?: string;
  Body: string;
  Kind: string;
  Username?: string;
  Code?: string;
  CreatedAt: Date;
}

export default action<ListMessagesRequest, { Messages: Message[] }>(async (input, ctx) => {
  const messages = await listMessages(ctx.app, { poolId: input.UserPoolId, to: input.Recipient, limit: input.MaxResults ?? 60 });
  const settings = new Map<string, UserPoolType | undefined>();
  for (const poolId of new Set(messages.map((m) => m.poolId))) settings.set(poolId, (await findPool(ctx.app, poolId))?.settings);
  return {
    Messages: messages.map((m) => {
      const code = messageCode(settings.get(m.poolId), m);
      return {
        Id: m.id,
        UserPoolId: m.poolId,
        Medium: m.medium === 'EMAIL' ? 'email' : 'sms',
        To: m.to,
        ...(m.subject !== undefined ? { Subject: m.subject } : {}),
        Body: m.body,
        Kind: m.kind,
        ...(m.username ? { Username: m.username } : {}),
        ...(code !== undefined ? { Code: code } : {}),
        CreatedAt: m.createdAt,
      };
    }),
  };
});
