// CreateUserImportJob: a job (Created) and its PreSignedUrl, to which the CSV file is PUT within 15 minutes
// (http/import-upload.ts). The CloudWatch Logs role is kept as given: the job logs to Corral's own log.
import type { CreateUserImportJobRequest, CreateUserImportJobResponse } from '@aws-sdk/client-cognito-identity-provider';
import { action } from '../../wire/actions.js';
import { requirePool } from '../../domain/pools.js';
import { createImportJob, describeJob } from '../../domain/user-import.js';

export default action<CreateUserImportJobRequest, CreateUserImportJobResponse>(async (input, { app }) => {
  const pool = await requirePool(app, input.UserPoolId!);
  const job = await createImportJob(app, pool, input.JobName!, input.CloudWatchLogsRoleArn!);
  return { UserImportJob: describeJob(app, job) };
});
