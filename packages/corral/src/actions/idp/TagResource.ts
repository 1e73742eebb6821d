// TagResource: adds or replaces tags on a user pool (seen in DescribeUserPool's UserPoolTags too).
import type { TagResourceRequest, TagResourceResponse } from '@aws-sdk/client-cognito-identity-provider';
import { action } from '../../wire/actions.js';
import { checkTagCount, poolByArn } from '../../domain/pool-tags.js';
import { changePool } from '../../domain/pools.js';

export default action<TagResourceRequest, TagResourceResponse>(async (input, ctx) => {
  const { id } = await poolByArn(ctx.app, input.ResourceArn!);
  await changePool(ctx.app, id, (pool) => {
    const tags = { ...pool.settings.UserPoolTags, ...input.Tags! };
    checkTagCount(tags);
    return { ...pool, settings: { ...pool.settings, UserPoolTags: tags } };
  });
  return {};
});
