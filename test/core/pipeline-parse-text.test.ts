import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { GennakerError } from '../../src/core/errors.js';
import { parsePipelineText, positionAt } from '../../src/core/pipeline/parse-text.js';
import { fixturePath } from './pipeline-support.js';

function unreadable(text: string, fileName?: string): GennakerError {
  try {
    parsePipelineText(text, fileName);
  } catch (error) {
    assert.ok(error instanceof GennakerError, `expected a GennakerError, got ${String(error)}`);
    assert.equal(error.code, 'GNK_E_PIPELINE_UNREADABLE');
    return error;
  }
  return assert.fail('expected the text to be refused');
}

describe('parsePipelineText', () => {
  test('reads JSON and YAML with the same fields to the same value', () => {
    const json = '{"application": "a", "name": "n", "stages": [{"refId": "1", "type": "wait", "waitTime": 5}]}';
    const yaml = 'application: a\nname: n\nstages:\n  - refId: "1"\n    type: wait\n    waitTime: 5\n';
    assert.deepEqual(parsePipelineText(json, 'p.json'), parsePipelineText(yaml, 'p.yaml'));
    assert.deepEqual(parsePipelineText(yaml, 'p.yml'), parsePipelineText(json));
  });

  test('without a known extension, JSON is tried first, then YAML', () => {
    assert.deepEqual(parsePipelineText('{"a": 1}'), { a: 1 });
    assert.deepEqual(parsePipelineText('a: 1\nb: [x, y]\n', 'pipeline.txt'), { a: 1, b: ['x', 'y'] });
    assert.deepEqual(parsePipelineText('{a: 1}'), { a: 1 });
  });

  test('YAML keeps expressions and plain words as text (YAML 1.2: "on" and "yes" are strings)', () => {
    assert.deepEqual(parsePipelineText('waitTime: ${parameters.delay}\nanswer: yes\nswitch: on\n', 'p.yaml'), {
      waitTime: '${parameters.delay}',
      answer: 'yes',
      switch: 'on',
    });
  });

  test('a byte-order mark is ignored', () => {
    assert.deepEqual(parsePipelineText('\uFEFF{"a": 1}', 'p.json'), { a: 1 });
  });

  test('broken JSON is reported with file, line and column', () => {
    const error = unreadable(readFileSync(fixturePath('invalid-syntax.json'), 'utf8'), 'invalid-syntax.json');
    assert.match(error.message, /^GNK_E_PIPELINE_UNREADABLE: invalid-syntax\.json:5:1: not valid JSON: /);
    assert.deepEqual(error.details, [{ source: 'invalid-syntax.json', expected: 'a pipeline in JSON or YAML', line: 5, column: 1 }]);
  });

  test('an unexpected token in JSON is located too, though the runtime gives no offset for it', () => {
    const error = unreadable('{\n  "application": "a",\n  "name": nope\n}', 'p.json');
    assert.match(error.message, /p\.json:3:11: not valid JSON: Unexpected token/);
  });

  test('JSON cut short is reported at its end', () => {
    const error = unreadable('{"application": "a",\n "stages": [', 'p.json');
    assert.match(error.message, /p\.json:2:13: not valid JSON: /);
  });

  test('a .json file is JSON only, even where YAML would accept the text', () => {
    const error = unreadable('{"a": 1,}', 'p.json');
    assert.match(error.message, /p\.json:1:9: not valid JSON/);
    assert.deepEqual(parsePipelineText('{"a": 1,}', 'p.yaml'), { a: 1 });
  });

  test('broken YAML is reported with file, line and column', () => {
    const error = unreadable(readFileSync(fixturePath('invalid-syntax.yaml'), 'utf8'), 'invalid-syntax.yaml');
    assert.match(error.message, /^GNK_E_PIPELINE_UNREADABLE: invalid-syntax\.yaml:6:\d+: not valid YAML: /);
  });

  test('duplicate keys and several documents are refused in YAML', () => {
    assert.match(unreadable('name: a\nname: b\n', 'p.yaml').message, /p\.yaml:2:1: not valid YAML: Map keys must be unique/);
    assert.match(unreadable('name: a\n---\nname: b\n', 'p.yaml').message, /not valid YAML: Source contains multiple documents/);
  });

  test('text that is neither is reported as JSON when it looks like JSON, else as YAML', () => {
    assert.match(unreadable('{"a": [1, 2}').message, /^GNK_E_PIPELINE_UNREADABLE: \(pipeline text\):1:12: not valid JSON/);
    assert.match(unreadable('a: "open\n').message, /not valid YAML/);
  });

  test('empty text is refused', () => {
    assert.match(unreadable('  \n', 'p.yaml').message, /p\.yaml: the text is empty$/);
  });

  test('positions are 1-based lines and columns', () => {
    assert.deepEqual(positionAt('ab\ncd', 0), { line: 1, column: 1 });
    assert.deepEqual(positionAt('ab\ncd', 4), { line: 2, column: 2 });
    assert.deepEqual(positionAt('ab', 99), { line: 1, column: 3 });
  });
});
