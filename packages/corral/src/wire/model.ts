// The operation table and shapes of both services, derived from the AWS API models (see scripts/compile-models.mjs).
import { idpModel } from './models/cognito-idp.js';
import { identityModel } from './models/cognito-identity.js';

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

export type ServiceKey = 'idp' | 'identity';

export const services: Record<ServiceKey, ServiceModel> = { idp: idpModel, identity: identityModel };

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
