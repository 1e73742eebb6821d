import type { DescribeIdentityInput, IdentityDescription } from '@aws-sdk/client-cognito-identity';
import { action } from '../../wire/actions.js';
import { describeIdentity, requireIdentity } from '../../identity/identities.js';

export default action<DescribeIdentityInput, IdentityDescription>(async (input, { app }) => describeIdentity(await requireIdentity(app, input.IdentityId!)));
