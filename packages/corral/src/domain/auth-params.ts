// AuthParameters / ChallengeResponses: a member a flow cannot do without, refused as Cognito words it.
import { InvalidParameterException } from '../errors.js';

export function requiredParam(params: Record<string, string>, name: string): string {
  const v = params[name];
  if (!v) throw new InvalidParameterException(`Missing required parameter ${name}`);
  return v;
}
