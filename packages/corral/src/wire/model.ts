// The operation table and shapes of the services: Cognito's two, derived from the AWS API models (see
// scripts/compile-models.mjs), and Corral's own admin API (models/corral.ts, written by hand in the same shape).
import { idpModel } from './models/cognito-idp.js';
import { identityModel } from './models/cognito-identity.js';
import { corralModel } from './models/corral.js';
import { kmsModel } from './models/kms.js';

export interface ShapeTraits {
  required?: Record<string, never>;
  length?: { min?: number; max?: number };
  range?: { min?: number; max?: number };
  pattern?: string;
  enumValue?: string;
  error?: 'client' | 'server';
  httpError?: number;
  default?: unknown;
  sensitive?: Record<string, never>;
}

export interface Shape {
  type: string;
  traits?: ShapeTraits;
  member?: string;
  key?: string;
  value?: string;
  members?: Record<string, { target: string; traits?: ShapeTraits }>;
}

export interface OperationModel {
  input?: string;
  output?: string;
  errors: string[];
  signed: boolean;
}

export interface ServiceModel {
  targetPrefix: string;
  signingName: string;
  operations: Record<string, OperationModel>;
  shapes: Record<string, Shape>;
}

/** `corral`: Corral's own admin operations (CorralAdmin.*), not Cognito's. `kms`: the part of AWS KMS the custom sender
 *  triggers' functions call (TrentService.*, models/kms.ts). */
export type ServiceKey = 'idp' | 'identity' | 'corral' | 'kms';

export const services: Record<ServiceKey, ServiceModel> = { idp: idpModel, identity: identityModel, corral: corralModel, kms: kmsModel };

export interface Operation extends OperationModel {
  service: ServiceKey;
  name: string;
  model: ServiceModel;
}

const byTarget = new Map<string, Operation>();
for (const [key, model] of Object.entries(services) as [ServiceKey, ServiceModel][]) {
  for (const [name, op] of Object.entries(model.operations)) {
    byTarget.set(`${model.targetPrefix}.${name}`, { ...op, service: key, name, model });
  }
}

/** Looks up `X-Amz-Target` (e.g. `AWSCognitoIdentityProviderService.SignUp`). */
export function operationForTarget(target: string): Operation | undefined {
  return byTarget.get(target);
}

export function allOperations(): Operation[] {
  return [...byTarget.values()];
}
