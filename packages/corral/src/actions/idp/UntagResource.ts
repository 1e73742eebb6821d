// UntagResource: removes tags from a user pool by key.
import type { UntagResourceRequest, UntagResourceResponse } from '@aws-sdk/client-cognito-identity-provider';
import { action } from '../../wire/actions.js';
import { poolByArn } from '../../domain/pool-tags.js';
import { savePool } from '../../domain/pools.js';

export default action<UntagResourceRequest, UntagResourceResponse>(async (input, ctx) => {
  const pool = await poolByArn(ctx.app, input.ResourceArn!);
  const tags = { ...pool.settings.UserPoolTags };
  for (const key of input.TagKeys!) delete tags[key];
  pool.settings = { ...pool.settings, UserPoolTags: tags };
  await savePool(ctx.app, pool);
  return {};
});
