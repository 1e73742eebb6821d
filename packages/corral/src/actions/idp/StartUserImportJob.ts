// StartUserImportJob: a Created job becomes Pending; an instance's import runner then imports its file in the
// background (InProgress → Succeeded or Failed). One job at a time is active.
import type { StartUserImportJobRequest, StartUserImportJobResponse } from '@aws-sdk/client-cognito-identity-provider';
import { action } from '../../wire/actions.js';
import { requirePool } from '../../domain/pools.js';
import { describeJob, startImportJob } from '../../domain/user-import.js';
import { kickImportRunner } from '../../domain/user-import-runner.js';

export default action<StartUserImportJobRequest, StartUserImportJobResponse>(async (input, { app }) => {
  const pool = await requirePool(app, input.UserPoolId!);
  const job = await startImportJob(app, pool, input.JobId!);
  kickImportRunner(app);
  return { UserImportJob: describeJob(app, job) };
});
