// DescribeUserImportJob: a job's status, dates, counters (ImportedUsers, SkippedUsers, FailedUsers) and message.
import type { DescribeUserImportJobRequest, DescribeUserImportJobResponse } from '@aws-sdk/client-cognito-identity-provider';
import { action } from '../../wire/actions.js';
import { requirePool } from '../../domain/pools.js';
import { describeJob, requireImportJob } from '../../domain/user-import.js';

export default action<DescribeUserImportJobRequest, DescribeUserImportJobResponse>(async (input, { app }) => {
  const pool = await requirePool(app, input.UserPoolId!);
  const job = await requireImportJob(app, pool, input.JobId!);
  return { UserImportJob: describeJob(app, job) };
});
