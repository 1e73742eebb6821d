// Tags of user pools, addressed by the pool's ARN (TagResource, UntagResource, ListTagsForResource).
import { InvalidParameterException, ResourceNotFoundException } from '../errors.js';
import type { Corral } from '../runtime/app.js';
import { findPool, poolArn, type Pool } from './pools.js';

export const MAX_TAGS = 50;

/** The pool an ARN names (`arn:aws:cognito-idp:<region>:<account>:userpool/<id>`), as Cognito resolves it. */
export async function poolByArn(app: Corral, arn: string): Promise<Pool> {
  const m = /^arn:[^:]+:cognito-idp:[^:]*:[0-9]*:userpool\/(.+)$/.exec(arn);
  if (!m) throw new InvalidParameterException(`Invalid ARN ${arn}.`);
  const pool = await findPool(app, m[1]!);
  // The ARN the pool was created with (DescribeUserPool's Arn), whatever region and account are configured now.
  if (!pool || (pool.settings.Arn ?? poolArn(app, pool.id)) !== arn) throw new ResourceNotFoundException(`Resource ${arn} does not exist.`);
  return pool;
}

export function checkTagCount(tags: Record<string, string>): void {
  if (Object.keys(tags).length > MAX_TAGS) throw new InvalidParameterException(`A user pool can have at most ${MAX_TAGS} tags.`);
}
