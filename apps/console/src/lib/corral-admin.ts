// Corral's own admin actions (not Cognito's): the mailbox, the functions registry, signing-key rotation. They are
// served by the same wire as Cognito's (POST /, X-Amz-Target `CorralAdmin.<Action>`, SigV4 with signing name
// `corral`), from the model in packages/corral/src/wire/models/corral.ts. Timestamps are epoch seconds.

export interface Message {
  Id: string;
  UserPoolId: string;
  Medium: 'email' | 'sms';
  To: string;
  Subject?: string;
  Body: string;
  /** What the message is for: e.g. SignUp, ForgotPassword, AdminCreateUser, Authentication, VerifyUserAttribute. */
  Kind: string;
  Username?: string;
  /** The code or temporary password the message carries, when it carries one. */
  Code?: string;
  CreatedAt: number;
}

export interface FunctionInfo {
  Name: string;
  /** `nodejs` or `python` (code run in Corral's function processes), or `http` (an endpoint). */
  Runtime: string;
  /** `<file>.handler` for modules, the URL for endpoints. */
  Handler: string;
  /** Where it was declared: `config` (the provisioning file) or `directory` (CORRAL_FUNCTIONS_DIR). */
  Source: string;
}

export interface Invocation {
  Id: string;
  FunctionName: string;
  TriggerSource: string;
  UserPoolId: string;
  StartedAt: number;
  DurationMs: number;
  /** Succeeded | Failed | TimedOut | Unavailable */
  Outcome: string;
  ErrorMessage?: string;
  /** What the function printed (stdout and stderr, at most 4 KiB; on the newest 100 runs of each function). */
  Logs?: string;
}

export interface Actions {
  ListMessages: {
    input: { UserPoolId?: string; Recipient?: string; MaxResults?: number };
    output: { Messages: Message[] };
  };
  ListFunctions: { input: Record<string, never>; output: { Functions: FunctionInfo[] } };
  ListFunctionInvocations: {
    input: { FunctionName?: string; MaxResults?: number };
    output: { Invocations: Invocation[] };
  };
  RotateSigningKeys: { input: { UserPoolId: string }; output: { KeyIds: string[] } };
}
