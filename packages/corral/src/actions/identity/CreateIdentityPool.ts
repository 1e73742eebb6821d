import type { CreateIdentityPoolInput, IdentityPool } from '@aws-sdk/client-cognito-identity';
import { action } from '../../wire/actions.js';
import { createIdentityPool } from '../../identity/identity-pools.js';
import { regionForNew } from '../../regions.js';

// In the region the call was signed for (the id names it); CORRAL_REGION for provisioning.
export default action<CreateIdentityPoolInput, IdentityPool>(async (input, { app, signingRegion }) =>
  createIdentityPool(app, input, regionForNew(signingRegion, app.config.region)),
);
