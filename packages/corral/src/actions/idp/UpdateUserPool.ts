// UpdateUserPool: as the API reference says, every setting the request leaves out is reset to its default.
// The schema, sign-in attributes, username case sensitivity, domain and id stay as they are.
import type { UpdateUserPoolRequest, UpdateUserPoolResponse } from '@aws-sdk/client-cognito-identity-provider';
import { action } from '../../wire/actions.js';
import { checkMfaSettings, mutableSettings } from '../../domain/pool-settings.js';
import { changePool, poolMfa, withPoolMfa } from '../../domain/pools.js';

const KEPT = [
  'Id',
  'Name',
  'SchemaAttributes',
  'AliasAttributes',
  'UsernameAttributes',
  'UsernameConfiguration',
  'Domain',
  'CustomDomain',
  'CreationDate',
  'Arn',
] as const;

export default action<UpdateUserPoolRequest, UpdateUserPoolResponse>(async (input, ctx) => {
  const settings = mutableSettings(input);
  await changePool(ctx.app, input.UserPoolId!, (pool) => {
    const mfa = poolMfa(pool);
    checkMfaSettings(settings, !!(mfa.totp || mfa.email));
    const kept = Object.fromEntries(KEPT.filter((k) => pool.settings[k] !== undefined).map((k) => [k, pool.settings[k]]));
    const name = input.PoolName ?? pool.name;
    const sms = settings.MfaConfiguration !== 'OFF' && !!settings.SmsConfiguration && (mfa.sms || !(mfa.totp || mfa.email));
    return { ...pool, name, settings: withPoolMfa({ ...kept, ...settings, Name: name, LastModifiedDate: new Date(ctx.app.now()) }, { ...mfa, sms }) };
  });
  return {};
});
