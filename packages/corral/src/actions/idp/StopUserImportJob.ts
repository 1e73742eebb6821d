// StopUserImportJob: a Pending job is Stopped at once; an InProgress one is Stopping until its runner has finished the
// batch in hand, then Stopped ("The Import Job was stopped by the developer."). A stopped job cannot be restarted.
import type { StopUserImportJobRequest, StopUserImportJobResponse } from '@aws-sdk/client-cognito-identity-provider';
import { action } from '../../wire/actions.js';
import { requirePool } from '../../domain/pools.js';
import { describeJob, stopImportJob } from '../../domain/user-import.js';

export default action<StopUserImportJobRequest, StopUserImportJobResponse>(async (input, { app }) => {
  const pool = await requirePool(app, input.UserPoolId!);
  const job = await stopImportJob(app, pool, input.JobId!);
  return { UserImportJob: describeJob(app, job) };
});
