// What CORRAL_CHECK_OUTPUT holds answers to: the model's types and required members, not its input constraints.
import { expect, it } from 'vitest';
import { services } from '../../src/wire/model.js';
import { validateInput } from '../../src/wire/validate.js';

const idp = services.idp;

it('accepts what real Cognito answers although it breaks an input constraint (a 21-character attribute name)', () => {
  const answer = { UserPool: { Id: 'us-east-1_abc', SchemaAttributes: [{ Name: 'phone_number_verified', AttributeDataType: 'Boolean' }] } };
  expect(() => validateInput(idp, 'DescribeUserPoolResponse', answer, false)).not.toThrow();
  expect(() => validateInput(idp, 'DescribeUserPoolResponse', answer)).toThrow(/length less than or equal to 20/);
});

it('refuses an answer of the wrong type or without a required member', () => {
  expect(() => validateInput(idp, 'DescribeUserPoolResponse', { UserPool: { Id: 42 } }, false)).toThrow(/can not be converted/);
  expect(() => validateInput(idp, 'GetUserResponse', { UserAttributes: [] }, false)).toThrow(/username.*must not be null/i);
});
