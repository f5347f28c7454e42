import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, test } from 'node:test';
import { checkDependencyRule } from '../scripts/dependency-rule.js';

const repositoryRoot = fileURLToPath(new URL('../..', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'gennaker-deprule-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(scratch, 'tree-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

test('the repository obeys the dependency rule of ARCHITECTURE.md', () => {
  const violations = checkDependencyRule(repositoryRoot);
  assert.deepEqual(violations, [], violations.map((v) => `${v.file}:${v.line}: ${v.message}`).join('\n'));
});

test('the core importing Node built-ins, the store or an unlisted package is caught', () => {
  const root = tree({
    'src/core/bad.ts': [
      "import { readFileSync } from 'node:fs';",
      "import path from 'path';",
      "import { openStore } from '../store/open.js';",
      "import Fastify from 'fastify';",
      "import { z } from 'zod';",
      "export const lazy = () => import('../providers/local.js');",
    ].join('\n'),
    'src/store/open.ts': 'export const openStore = 1;',
    'src/providers/local.ts': 'export const local = 1;',
  });
  const messages = checkDependencyRule(root).map((v) => `${v.file}:${v.line}: ${v.message}`);
  assert.deepEqual(messages, [
    "src/core/bad.ts:1: core is pure and may not import the Node built-in 'node:fs'",
    "src/core/bad.ts:2: core is pure and may not import the Node built-in 'path'",
    "src/core/bad.ts:3: core may not import store ('../store/open.js'); core may import: nothing",
    "src/core/bad.ts:4: core may not use the package 'fastify'; allowed: zod, jsep, yaml",
    "src/core/bad.ts:6: core may not import providers ('../providers/local.js'); core may import: nothing",
  ]);
});

test('the core using the clock, randomness or process state is caught, while plain names are not', () => {
  const root = tree({
    'src/core/impure.ts': [
      'export const t = Date.now();',
      'export const r = Math.random();',
      'export const d = new Date();',
      'export const fixed = new Date(0);',
      'export const env = process.env;',
      "export function later(f: () => void) { setTimeout(f, 1); console.log('x'); }",
      'export const ok = { process: 1, console: 2 };',
      'export function named(process: number) { return process; }',
    ].join('\n'),
  });
  const found = checkDependencyRule(root).map((v) => `${v.line}: ${v.message}`);
  assert.deepEqual(found, [
    '1: core is pure and may not use Date.now (pass it in from the shell)',
    '2: core is pure and may not use Math.random (pass it in from the shell)',
    '3: core is pure and may not use new Date() (pass it in from the shell)',
    '5: core is pure and may not use process (pass it in from the shell)',
    '6: core is pure and may not use setTimeout (pass it in from the shell)',
    '6: core is pure and may not use console (pass it in from the shell)',
    '8: core is pure and may not use process (pass it in from the shell)',
  ]);
});

test('outer modules may not be imported by inner ones, and unknown modules must be declared', () => {
  const root = tree({
    'src/store/uses-api.ts': "import { buildApi } from '../api/server.js';\nexport const x = buildApi;",
    'src/api/server.ts': 'export const buildApi = 1;',
    'src/gadgets/thing.ts': 'export const thing = 1;',
  });
  const messages = checkDependencyRule(root).map((v) => v.message);
  assert.equal(messages.length, 2);
  assert.match(messages[0]!, /module 'gadgets' is not in the dependency rule/);
  assert.match(messages[1]!, /^store may not import api/);
});
