// Calling a user pool's Lambda trigger: the event envelope Cognito sends, the 5-second limit, and the errors a
// client sees (cognito-wire.md §7; the triggers' pages of the Cognito developer guide).
//
//   invokeTrigger(app, pool, { trigger, source, userName, clientId?, request }) → the function's `response`
//     object, or undefined when the pool has no such trigger (the caller carries on as without one).
//   Envelope: { version: '1', triggerSource, region, userPoolId, userName,
//               callerContext: { awsSdkVersion, clientId }, request, response: {} }.
//   Errors, in Cognito's words:
//     the handler fails          → UserLambdaValidationException "<Trigger> failed with error <message>."
//     no answer within 5 s       → UnexpectedLambdaException "<Trigger> invocation failed due to error Socket
//                                  timeout while invoking Lambda function." (Cognito's own limit; it is fixed)
//     no function by that name   → UnexpectedLambdaException "<Trigger> invocation failed due to error
//                                  ResourceNotFoundException: …" naming the function and where Corral looked
//     an answer that is not the event (an object with an object `response`)
//                                → InvalidLambdaResponseException "Unrecognizable lambda output"
//   A trigger may ask for other errors (UserMigration answers UserNotFoundException): `failure`.
//   Every run (and every function not found) is recorded for the console's Functions page (storage/invocations.ts:
//   function, trigger source, pool, start, duration, outcome, the error's message, what the function printed —
//   never the event); a record that cannot be written is logged and the request carries on.
//   The wait is Cognito's 5 s; a function's own `timeout` (functions.ts) stops it sooner ("Task timed out after N
//   seconds", a handler error, recorded TimedOut) or lets it run on after Cognito has stopped waiting.
import type { LambdaConfigType } from '@aws-sdk/client-cognito-identity-provider';
import { InvalidLambdaResponseException, UnexpectedLambdaException, UserLambdaValidationException, type CognitoError } from '../errors.js';
import type { Corral } from '../runtime/app.js';
import type { Pool } from '../storage/pools.js';
import { FunctionError, functionName, resolveFunction, runFunction } from './functions.js';
import { regionOfId } from '../regions.js';
import type { InvocationOutcome, NewInvocation } from '../storage/invocations.js';
import { redactSecrets } from '../redact.js';
import { observeTrigger } from '../metrics.js';

/** Cognito waits 5 seconds for a trigger; the limit cannot be changed. */
export const TRIGGER_TIMEOUT_MS = 5000;

/** The triggers Corral runs, by their LambdaConfig member. */
export type TriggerName =
  | 'PreSignUp'
  | 'PostConfirmation'
  | 'PreAuthentication'
  | 'PostAuthentication'
  | 'PreTokenGeneration'
  | 'CustomMessage'
  | 'UserMigration'
  | 'DefineAuthChallenge'
  | 'CreateAuthChallenge'
  | 'VerifyAuthChallengeResponse'
  | 'CustomEmailSender'
  | 'CustomSMSSender';

/** The clientId of events from calls that name no app client (Admin* operations), as Cognito sends it. */
export const NO_CLIENT = 'CLIENT_ID_NOT_APPLICABLE';
/** Cognito's callerContext.awsSdkVersion when it cannot tell the caller's SDK. */
const UNKNOWN_SDK = 'aws-sdk-unknown-unknown';

export interface TriggerCall {
  trigger: TriggerName;
  /** triggerSource, e.g. PreSignUp_SignUp. */
  source: string;
  userName: string;
  clientId?: string;
  request: Record<string, unknown>;
  /** Event version (PreTokenGeneration V2_0 sends '2'). */
  version?: string;
  /** Maps a failure to the error the client sees, when the trigger's flow answers differently. */
  failure?: (kind: FunctionError['kind'], message: string) => CognitoError;
  /** The answer is not used, so any answer (none included) is a success: the custom senders (whose functions
   *  commonly `return;`). */
  answerIgnored?: boolean;
}

/** The ARN configured for a trigger, if any (PreTokenGenerationConfig.LambdaArn wins over PreTokenGeneration). */
export function triggerArn(pool: Pool, trigger: TriggerName): string | undefined {
  const config: LambdaConfigType = pool.settings.LambdaConfig ?? {};
  if (trigger === 'PreTokenGeneration') return config.PreTokenGenerationConfig?.LambdaArn ?? config.PreTokenGeneration;
  if (trigger === 'CustomEmailSender' || trigger === 'CustomSMSSender') return config[trigger]?.LambdaArn || undefined;
  return config[trigger] || undefined;
}

export function hasTrigger(pool: Pool, trigger: TriggerName): boolean {
  return !!triggerArn(pool, trigger);
}

/** Attribute values as triggers see them: every value a string. */
export function eventAttributes(attributes: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(attributes).map(([k, v]) => [k, String(v)]));
}

export async function invokeTrigger(app: Corral, pool: Pool, call: TriggerCall): Promise<Record<string, unknown> | undefined> {
  const arn = triggerArn(pool, call.trigger);
  if (!arn) return undefined;
  const fail = (kind: FunctionError['kind'], message: string, fallback: () => CognitoError): never => {
    throw call.failure ? call.failure(kind, message) : fallback();
  };
  const name = functionName(arn);
  const fn = name ? resolveFunction(app.config, name) : undefined;
  if (!fn) {
    const where = [
      'the provisioning file\'s "functions"',
      app.config.functionsDir ? `CORRAL_FUNCTIONS_DIR (${app.config.functionsDir})` : 'CORRAL_FUNCTIONS_DIR (not set)',
    ].join(' or ');
    const message = `ResourceNotFoundException: Corral has no function named ${name ?? arn} (looked in ${where}).`;
    app.log.error({ trigger: call.trigger, arn, pool: pool.id }, `trigger function not found: ${name ?? arn}`);
    await recordInvocation(app, {
      functionName: name ?? arn,
      triggerSource: call.source,
      poolId: pool.id,
      startedAt: app.now(),
      durationMs: 0,
      outcome: 'Unavailable',
      errorMessage: message,
    });
    return fail('unavailable', message, () => new UnexpectedLambdaException(`${call.trigger} invocation failed due to error ${message}`));
  }
  const event = {
    version: call.version ?? '1',
    triggerSource: call.source,
    region: regionOfId(pool.id, app.config.region),
    userPoolId: pool.id,
    userName: call.userName,
    callerContext: { awsSdkVersion: UNKNOWN_SDK, clientId: call.clientId ?? NO_CLIENT },
    request: call.request,
    response: {},
  };
  let answer: unknown;
  let logs: string | undefined;
  const started = Date.now();
  const startedAt = app.now();
  const record = (outcome: InvocationOutcome, errorMessage?: string) =>
    recordInvocation(app, {
      functionName: fn.name,
      triggerSource: call.source,
      poolId: pool.id,
      startedAt,
      durationMs: Date.now() - started,
      outcome,
      ...(errorMessage !== undefined ? { errorMessage } : {}),
      ...(logs ? { logs } : {}),
    });
  try {
    ({ answer, logs } = await runFunction(app, fn, event, TRIGGER_TIMEOUT_MS, arn));
  } catch (err) {
    if (!(err instanceof FunctionError)) {
      await record('Failed', err instanceof Error ? err.message : String(err));
      throw err;
    }
    logs = err.details.logs;
    await record(
      err.kind === 'error' ? (err.details.timedOut ? 'TimedOut' : 'Failed') : err.kind === 'timeout' ? 'TimedOut' : 'Unavailable',
      err.kind === 'timeout' ? 'Socket timeout while invoking Lambda function.' : err.message,
    );
    app.log.warn({ trigger: call.trigger, source: call.source, function: fn.name, kind: err.kind, err: redactSecrets(err.message) }, 'trigger failed');
    if (err.kind === 'error') return fail('error', err.message, () => new UserLambdaValidationException(`${call.trigger} failed with error ${err.message}.`));
    if (err.kind === 'timeout') {
      return fail(
        'timeout',
        'Socket timeout while invoking Lambda function.',
        () => new UnexpectedLambdaException(`${call.trigger} invocation failed due to error Socket timeout while invoking Lambda function.`),
      );
    }
    return fail('unavailable', err.message, () => new UnexpectedLambdaException(`${call.trigger} invocation failed due to error ${err.message}`));
  }
  app.log.debug({ trigger: call.trigger, source: call.source, function: fn.name, ms: Date.now() - started }, 'trigger ran');
  if (call.answerIgnored) {
    await record('Succeeded');
    return {};
  }
  const response = (answer as { response?: unknown } | null)?.response;
  if (
    !answer ||
    typeof answer !== 'object' ||
    Array.isArray(answer) ||
    (response !== undefined && response !== null && (typeof response !== 'object' || Array.isArray(response)))
  ) {
    await record('Failed', 'Unrecognizable lambda output');
    return fail('error', 'Unrecognizable lambda output', () => new InvalidLambdaResponseException('Unrecognizable lambda output'));
  }
  await record('Succeeded');
  return (response ?? {}) as Record<string, unknown>;
}

/** Records a run for the console's Functions page (storage/invocations.ts); a failure to record is logged, never
 *  the user's request's failure. */
async function recordInvocation(app: Corral, inv: NewInvocation): Promise<void> {
  observeTrigger(inv.triggerSource, inv.outcome, inv.durationMs); // metrics
  try {
    await app.store.invocations.record(inv);
  } catch (err) {
    app.log.warn({ err, function: inv.functionName, source: inv.triggerSource }, 'could not record a trigger invocation');
  }
}

/** For a trigger's own response checks: InvalidLambdaResponseException with `message`. */
export function invalidResponse(message: string): never {
  throw new InvalidLambdaResponseException(message);
}
