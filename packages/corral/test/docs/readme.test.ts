// The README's list of implemented operations is the list of action files: the README stays true.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';

const root = join(import.meta.dirname, '../../../..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');

function listed(heading: string): string[] {
  const at = readme.indexOf(heading);
  expect(at, `README has "${heading}"`).toBeGreaterThan(-1);
  const block = /```text\n([\s\S]*?)```/.exec(readme.slice(at))![1]!;
  return block.split(/\s+/).filter(Boolean).sort();
}

function actionFiles(service: string): string[] {
  return readdirSync(join(root, 'packages/corral/src/actions', service))
    .filter((f) => /^[A-Z]\w+\.ts$/.test(f))
    .map((f) => f.replace(/\.ts$/, ''))
    .sort();
}

it('lists exactly the implemented user-pool operations', () => {
  expect(listed('User pools (`cognito-idp`)')).toEqual(actionFiles('idp'));
});

it('lists exactly the implemented identity-pool operations', () => {
  expect(listed('Identity pools (`cognito-identity`)')).toEqual(actionFiles('identity'));
});

it('lists exactly the implemented KMS operations', () => {
  expect(listed('KMS (`kms`')).toEqual(actionFiles('kms'));
});
