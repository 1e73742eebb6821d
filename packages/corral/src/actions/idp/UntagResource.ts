// UntagResource: removes tags from a user pool by key.
import type { UntagResourceRequest, UntagResourceResponse } from '@aws-sdk/client-cognito-identity-provider';
import { action } from '../../wire/actions.js';
import { poolByArn } from '../../domain/pool-tags.js';
import { changePool } from '../../domain/pools.js';

export default action<UntagResourceRequest, UntagResourceResponse>(async (input, ctx) => {
  const { id } = await poolByArn(ctx.app, input.ResourceArn!);
  await changePool(ctx.app, id, (pool) => {
    const tags = { ...pool.settings.UserPoolTags };
    for (const key of input.TagKeys!) delete tags[key];
    return { ...pool, settings: { ...pool.settings, UserPoolTags: tags } };
  });
  return {};
});
