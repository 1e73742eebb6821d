// GET /_corral/resources: the ids of the user pools (with their app clients) and identity pools, by name (what the
// walkthrough calls the scratch pad), for the site. Read from the database at each request, so what `corral apply`
// or the API changed on a running server is listed at once; of several pools with one name, the oldest (the one a
// configuration file manages) comes first.
// Who sees what: the owner — a request to a loopback name while Corral listens on loopback alone, not sent by a page
// of a non-loopback origin: the mailbox's rule (http/mailbox.ts) — sees every pool and identity pool; anyone else
// only those the provisioning file declares (by name), so a deployment's other pools cannot be enumerated without
// credentials, not even by a web page the owner happens to visit (the route answers CORS, for the site).
import type { FastifyInstance } from 'fastify';
import type { Corral } from '../runtime/app.js';
import { currentResources } from '../runtime/provision.js';
import { isLoopbackHost, isLoopbackHostHeader, isLoopbackOrigin } from './loopback.js';
import { mailboxEnabled } from './mailbox.js';

export function resourcesRoutes(server: FastifyInstance, app: Corral): void {
  server.get('/_corral/resources', async (req, reply) => {
    const all = await currentResources(app);
    const owner =
      isLoopbackHost(app.config.host) && mailboxEnabled(app.config) && isLoopbackHostHeader(req.headers.host) && isLoopbackOrigin(req.headers.origin);
    if (!owner) {
      const declared = app.config.declaredNames ?? { userPools: [], identityPools: [] };
      all.userPools = all.userPools.filter((p) => declared.userPools.includes(p.name));
      all.identityPools = all.identityPools.filter((p) => declared.identityPools.includes(p.name));
    }
    return reply.header('cache-control', 'no-store').send(all);
  });
}
