// CorralAdmin.ListFunctionInvocations: the recent trigger runs (storage/invocations.ts), newest first, of one function
// or of all: when, how long, how it ended, the failure's message and what the function printed (Logs, on the newest
// 100 runs of each function) — never the event.
import { action } from '../../wire/actions.js';

interface ListFunctionInvocationsRequest {
  FunctionName?: string;
  MaxResults?: number;
}

interface Invocation {
  Id: string;
  FunctionName: string;
  TriggerSource: string;
  UserPoolId: string;
  StartedAt: Date;
  DurationMs: number;
  Outcome: string;
  ErrorMessage?: string;
  Logs?: string;
}

export default action<ListFunctionInvocationsRequest, { Invocations: Invocation[] }>(async (input, ctx) => {
  const rows = await ctx.app.store.invocations.list({ functionName: input.FunctionName, limit: input.MaxResults ?? 50 });
  return {
    Invocations: rows.map((r) => ({
      Id: r.id,
      FunctionName: r.functionName,
      TriggerSource: r.triggerSource,
      UserPoolId: r.poolId,
      StartedAt: new Date(r.startedAt),
      DurationMs: r.durationMs,
      Outcome: r.outcome,
      ...(r.errorMessage !== undefined ? { ErrorMessage: r.errorMessage } : {}),
      ...(r.logs !== undefined ? { Logs: r.logs } : {}),
    })),
  };
});
