// GET /_corral/resources: the provisioned resources' ids (what the walkthrough calls the scratch pad), for the site.
import type { FastifyInstance } from 'fastify';
import type { Corral } from '../runtime/app.js';
import { readResources } from '../runtime/provision.js';

export function resourcesRoutes(server: FastifyInstance, app: Corral): void {
  server.get('/_corral/resources', async (_req, reply) => reply.header('cache-control', 'no-store').send(readResources(app.config)));
}
