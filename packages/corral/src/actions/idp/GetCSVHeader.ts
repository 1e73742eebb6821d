// GetCSVHeader: the header row of the pool's user import CSV file — every attribute of its schema but `sub` and
// `identities` (custom ones included), in the schema's order, then cognito:mfa_enabled and cognito:username.
import type { GetCSVHeaderRequest, GetCSVHeaderResponse } from '@aws-sdk/client-cognito-identity-provider';
import { action } from '../../wire/actions.js';
import { requirePool } from '../../domain/pools.js';
import { csvHeader } from '../../domain/user-import-csv.js';

export default action<GetCSVHeaderRequest, GetCSVHeaderResponse>(async (input, { app }) => {
  const pool = await requirePool(app, input.UserPoolId!);
  return { UserPoolId: pool.id, CSVHeader: csvHeader(pool) };
});
