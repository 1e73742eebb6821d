import type { DescribeIdentityPoolInput, IdentityPool } from '@aws-sdk/client-cognito-identity';
import { action } from '../../wire/actions.js';
import { requireIdentityPool } from '../../identity/identity-pools.js';

export default action<DescribeIdentityPoolInput, IdentityPool>(async (input, { app }) => requireIdentityPool(app, input.IdentityPoolId!));
