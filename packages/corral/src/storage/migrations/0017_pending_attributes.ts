// Attribute values waiting for verification (UserAttributeUpdateSettings.AttributesRequireVerificationBeforeUpdate):
// a changed email or phone_number is kept here, as JSON `{ "email": "new@example.com" }`, until the user verifies it
// with VerifyUserAttribute; meanwhile the user's attributes keep the old value (and its sign-in alias). Null when
// nothing waits. A column of its own rather than a reserved key inside `attributes`, so that nothing that reads the
// attributes (GetUser, ListUsers and its filters, tokens, triggers' userAttributes, alias derivation) can show it.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('users').addColumn('pending_attributes', 'text').execute();
}
