import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { errorRegistry, GennakerError } from '../../src/core/errors.js';

const docs = readFileSync(new URL('../../../docs/errors.md', import.meta.url), 'utf8');
const documented = [...docs.matchAll(/^## (GNK_E_[A-Z0-9_]+)$/gm)].map((match) => match[1]!);

test('every registered error code is documented in docs/errors.md', () => {
  const missing = Object.keys(errorRegistry).filter((code) => !documented.includes(code));
  assert.deepEqual(missing, [], `add a section to docs/errors.md for: ${missing.join(', ')}`);
});

test('every code documented in docs/errors.md is still registered', () => {
  const gone = documented.filter((code) => !(code in errorRegistry));
  assert.deepEqual(gone, [], `remove from docs/errors.md (retired codes are never reused): ${gone.join(', ')}`);
});

test('each documented code states the kind it is registered with', () => {
  for (const [code, definition] of Object.entries(errorRegistry)) {
    const section = docs.split(`## ${code}\n`)[1]?.split('\n## ')[0] ?? '';
    assert.match(section, new RegExp(`^Kind: ${definition.kind}\\.`), `docs/errors.md section ${code} must start with "Kind: ${definition.kind}."`);
  }
});

test('every code follows the GNK_E_ naming scheme', () => {
  for (const code of Object.keys(errorRegistry)) assert.match(code, /^GNK_E_[A-Z][A-Z0-9_]*$/);
});

test('a GennakerError carries its code, kind and details and serialises as data', () => {
  const error = new GennakerError('GNK_E_NOT_FOUND', 'application x does not exist', [{ path: 'name' }]);
  assert.equal(error.kind, 'not_found');
  assert.deepEqual(JSON.parse(JSON.stringify(error)), {
    code: 'GNK_E_NOT_FOUND',
    message: 'GNK_E_NOT_FOUND: application x does not exist',
    details: [{ path: 'name' }],
  });
});
