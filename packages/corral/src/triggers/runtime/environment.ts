// The environment of a function's process: Lambda's variables, the function's own, and nothing of Corral's.
//
//   functionEnvironment(spec, corral) → the child's whole environment. Built from nothing (never process.env): PATH
//   and LD_LIBRARY_PATH (what a runtime needs to start), LANG and TZ as Lambda sets them, Lambda's reserved
//   variables (AWS_REGION, AWS_LAMBDA_FUNCTION_NAME, _HANDLER, LAMBDA_TASK_ROOT, …), the functions' key pair
//   (triggers/function-credentials.ts) with AWS_ENDPOINT_URL_KMS at Corral, then the function's `environment` from
//   the provisioning file — where `${NAME}` is Corral's NAME (a value that is only `${NAME}` with NAME unset leaves
//   the variable out), so a configuration passes on what it chooses and nothing else.
//   Lambda's reserved names cannot be set by the configuration (provision.ts refuses them, as Lambda does).

/** Names Lambda reserves (its "Defined runtime environment variables"): a function's configuration cannot set them. */
export const RESERVED_ENVIRONMENT = [
  '_HANDLER',
  '_X_AMZN_TRACE_ID',
  'AWS_DEFAULT_REGION',
  'AWS_REGION',
  'AWS_EXECUTION_ENV',
  'AWS_LAMBDA_FUNCTION_NAME',
  'AWS_LAMBDA_FUNCTION_MEMORY_SIZE',
  'AWS_LAMBDA_FUNCTION_VERSION',
  'AWS_LAMBDA_INITIALIZATION_TYPE',
  'AWS_LAMBDA_LOG_GROUP_NAME',
  'AWS_LAMBDA_LOG_STREAM_NAME',
  'AWS_ACCESS_KEY',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_LAMBDA_RUNTIME_API',
  'LAMBDA_TASK_ROOT',
  'LAMBDA_RUNTIME_DIR',
] as const;

/** Lambda's rule for variable names. */
export const ENVIRONMENT_NAME = /^[a-zA-Z][a-zA-Z0-9_]+$/;
/** Lambda's limit on a function's variables: 4 KB, names and values together. */
export const ENVIRONMENT_MAX_BYTES = 4096;

export interface EnvironmentInputs {
  functionName: string;
  /** `nodejs20.x`, `python3.11`, …: AWS_EXECUTION_ENV is `AWS_Lambda_<runtime>`. */
  runtimeLabel: string;
  memoryMb: number;
  handler: string;
  taskRoot: string;
  runtimeDir: string;
  logStreamName: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken: string };
  /** Corral's public URL: AWS_ENDPOINT_URL_KMS (its KMS endpoint, for the custom senders). */
  publicUrl: string;
  /** The function's configured variables. */
  environment?: Record<string, string>;
}

/** `${NAME}` → Corral's NAME ('' when unset); `$${` is a literal `${`. */
function substitute(value: string, env: NodeJS.ProcessEnv): string {
  return value.replace(/\$(\$)?\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (all, escaped: string | undefined, name: string) =>
    escaped ? all.slice(1) : (env[name] ?? ''),
  );
}

/** The function's configured variables with `${NAME}` replaced by Corral's (a whole-value reference to an unset
 *  variable leaves the variable out). */
export function configuredEnvironment(environment: Record<string, string> | undefined, env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(environment ?? {})) {
    const whole = /^\$\{([A-Za-z_][A-Za-z0-9_]*)\}$/.exec(value);
    if (whole && env[whole[1]!] === undefined) continue;
    out[name] = substitute(value, env);
  }
  return out;
}

export function functionEnvironment(i: EnvironmentInputs, env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const base: Record<string, string> = {
    PATH: env.PATH || '/usr/local/bin:/usr/bin:/bin',
    ...(env.LD_LIBRARY_PATH ? { LD_LIBRARY_PATH: env.LD_LIBRARY_PATH } : {}),
    ...(env.SYSTEMROOT ? { SYSTEMROOT: env.SYSTEMROOT } : {}),
    LANG: 'en_US.UTF-8',
    TZ: ':UTC',
  };
  const lambda: Record<string, string> = {
    AWS_REGION: i.region,
    AWS_DEFAULT_REGION: i.region,
    AWS_EXECUTION_ENV: `AWS_Lambda_${i.runtimeLabel}`,
    AWS_LAMBDA_FUNCTION_NAME: i.functionName,
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(i.memoryMb),
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${i.functionName}`,
    AWS_LAMBDA_LOG_STREAM_NAME: i.logStreamName,
    LAMBDA_TASK_ROOT: i.taskRoot,
    LAMBDA_RUNTIME_DIR: i.runtimeDir,
    _HANDLER: i.handler,
    AWS_ACCESS_KEY_ID: i.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: i.credentials.secretAccessKey,
    AWS_SESSION_TOKEN: i.credentials.sessionToken,
  };
  const own = configuredEnvironment(i.environment, env);
  for (const name of RESERVED_ENVIRONMENT) delete own[name]; // refused by the configuration already; never let one through
  return { ...base, AWS_ENDPOINT_URL_KMS: i.publicUrl, ...own, ...lambda };
}
