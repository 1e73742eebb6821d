// DeleteUserAttributes: removes attributes from the signed-in user (never sub, nor a required one).
import type { DeleteUserAttributesRequest, DeleteUserAttributesResponse } from '@aws-sdk/client-cognito-identity-provider';
import { action } from '../../wire/actions.js';
import { InvalidParameterException, NotAuthorizedException } from '../../errors.js';
import { authenticate } from '../../domain/access.js';
import { updateUser } from '../../domain/users.js';

export default action<DeleteUserAttributesRequest, DeleteUserAttributesResponse>(async (input, { app }) => {
  const { pool, client, user } = await authenticate(app, input.AccessToken!);
  const schema = new Map((pool.settings.SchemaAttributes ?? []).map((a) => [a.Name, a]));
  const attributes = { ...user.attributes };
  for (const name of input.UserAttributeNames ?? []) {
    const def = schema.get(name);
    if (!def) throw new InvalidParameterException(`Attributes did not conform to the schema: ${name}: Attribute does not exist in the schema.`);
    if (name === 'sub' || def.Required) throw new InvalidParameterException(`Attributes did not conform to the schema: ${name}: The attribute is required`);
    if (client?.settings.WriteAttributes && !client.settings.WriteAttributes.includes(name)) {
      throw new NotAuthorizedException('A client attempted to write unauthorized attribute');
    }
    delete attributes[name];
    if (name === 'email' || name === 'phone_number') delete attributes[`${name}_verified`];
  }
  await updateUser(app, pool, user, { attributes });
  return {};
});
