// ListUserImportJobs: the pool's jobs, newest first, MaxResults (at most 50) a page, with PaginationToken.
import type { ListUserImportJobsRequest, ListUserImportJobsResponse } from '@aws-sdk/client-cognito-identity-provider';
import { action } from '../../wire/actions.js';
import { requirePool } from '../../domain/pools.js';
import { describeJob, listImportJobs } from '../../domain/user-import.js';

export default action<ListUserImportJobsRequest, ListUserImportJobsResponse>(async (input, { app }) => {
  const pool = await requirePool(app, input.UserPoolId!);
  const { jobs, next } = await listImportJobs(app, pool, input.MaxResults!, input.PaginationToken);
  return {
    ...(jobs.length ? { UserImportJobs: jobs.map((j) => describeJob(app, j)) } : {}),
    ...(next ? { PaginationToken: next } : {}),
  };
});
