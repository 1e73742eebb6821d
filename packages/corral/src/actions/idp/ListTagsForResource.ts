// ListTagsForResource: a user pool's tags.
import type { ListTagsForResourceRequest, ListTagsForResourceResponse } from '@aws-sdk/client-cognito-identity-provider';
import { action } from '../../wire/actions.js';
import { poolByArn } from '../../domain/pool-tags.js';

export default action<ListTagsForResourceRequest, ListTagsForResourceResponse>(async (input, ctx) => {
  const pool = await poolByArn(ctx.app, input.ResourceArn!);
  return { Tags: pool.settings.UserPoolTags ?? {} };
});
