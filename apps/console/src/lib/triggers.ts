// The user pool triggers the console sets (LambdaConfig). A trigger names its function by the ARN
// `arn:aws:lambda:<region>:<account>:function:<name>`; Corral finds the function by name in its registry.
import type { LambdaConfigType } from '@aws-sdk/client-cognito-identity-provider';

export type TriggerKey = keyof Pick<
  LambdaConfigType,
  | 'PreSignUp'
  | 'PreAuthentication'
  | 'CustomMessage'
  | 'PostAuthentication'
  | 'PostConfirmation'
  | 'DefineAuthChallenge'
  | 'CreateAuthChallenge'
  | 'VerifyAuthChallengeResponse'
  | 'UserMigration'
  | 'PreTokenGeneration'
>;

/** In the wizard's order (the old Cognito console's). */
export const TRIGGERS: { key: TriggerKey; label: string; hint: string }[] = [
  { key: 'PreSignUp', label: 'Pre sign-up', hint: 'Runs before a user signs up: validate, auto-confirm or auto-verify.' },
  { key: 'PreAuthentication', label: 'Pre authentication', hint: 'Runs before a user signs in: accept or refuse the attempt.' },
  { key: 'CustomMessage', label: 'Custom message', hint: 'Rewrites the verification, invitation and MFA messages.' },
  { key: 'PostAuthentication', label: 'Post authentication', hint: 'Runs after a successful sign-in.' },
  { key: 'PostConfirmation', label: 'Post confirmation', hint: 'Runs after a user is confirmed.' },
  { key: 'DefineAuthChallenge', label: 'Define Auth Challenge', hint: 'Custom authentication: decides the next challenge.' },
  { key: 'CreateAuthChallenge', label: 'Create Auth Challenge', hint: 'Custom authentication: creates a challenge.' },
  { key: 'VerifyAuthChallengeResponse', label: 'Verify Auth Challenge Response', hint: "Custom authentication: checks the user's answer." },
  { key: 'UserMigration', label: 'User Migration', hint: 'Signs in users who are not in the pool yet, from another directory.' },
  { key: 'PreTokenGeneration', label: 'Pre Token Generation', hint: 'Adds, changes or removes claims of the ID token.' },
];

export function functionArn(name: string, region: string, account: string): string {
  return `arn:aws:lambda:${region}:${account}:function:${name}`;
}

/** `<name>` of a Lambda function ARN (or a bare name). */
export function functionNameOf(arn: string | undefined): string {
  if (!arn) return '';
  const m = /:function:([\w-]{1,64})(?::[\w$-]+)?$/.exec(arn);
  return m ? m[1]! : arn;
}

/** The ARN a pool's LambdaConfig gives a trigger (Pre Token Generation's may be in PreTokenGenerationConfig). */
export function triggerArnOf(lc: LambdaConfigType, key: TriggerKey): string | undefined {
  return key === 'PreTokenGeneration' ? (lc.PreTokenGenerationConfig?.LambdaArn ?? lc.PreTokenGeneration) : lc[key];
}
