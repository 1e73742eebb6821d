// Plain HTTP routes beside the wire protocol (JWKS and discovery, the local mailbox, …), one module each.
import type { FastifyInstance } from 'fastify';
import type { Corral } from '../runtime/app.js';
import { mailboxRoutes } from './mailbox.js';
import { wellKnownRoutes } from './wellknown.js';
import { resourcesRoutes } from './resources.js';
import { identityWellKnownRoutes } from './identity-wellknown.js';
import { oauthRoutes } from './oauth/routes.js';
import { consoleRoutes } from './console.js';
import { importUploadRoutes } from './import-upload.js';
import { samlRoutes } from './oauth/saml.js';
import { metricsRoutes } from './metrics.js';

export type RouteModule = (server: FastifyInstance, app: Corral) => Promise<void> | void;

export const httpRoutes: RouteModule[] = [];

httpRoutes.push(mailboxRoutes);
httpRoutes.push(wellKnownRoutes);
httpRoutes.push(resourcesRoutes);
httpRoutes.push(identityWellKnownRoutes);
httpRoutes.push(oauthRoutes);
httpRoutes.push(consoleRoutes);
httpRoutes.push(importUploadRoutes);
httpRoutes.push(samlRoutes);
httpRoutes.push(metricsRoutes);
