import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, test } from 'node:test';

const main = fileURLToPath(new URL('../src/cli/main.js', import.meta.url));
const fixtures = fileURLToPath(new URL('../../test/fixtures/pipelines/', import.meta.url));

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function gennaker(...args: string[]): Run {
  const result = spawnSync(process.execPath, [main, ...args], { encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function lines(text: string): string[] {
  return text.split('\n').filter((line) => line !== '');
}

const exportSummary =
  'valid: checkout / "Deploy to prod" — 7 stages (evaluateVariables, checkPreconditions, webhook, manualJudgment, pipeline, wait), 3 warnings';

describe('gennaker validate', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'gennaker-validate-'));
  after(() => rmSync(scratch, { recursive: true, force: true }));

  test('a valid Spinnaker export: exit 0, a one-line summary, warnings on stderr', () => {
    const run = gennaker('validate', join(fixtures, 'spinnaker-export.json'));
    assert.equal(run.code, 0);
    assert.deepEqual(lines(run.stdout), [exportSummary]);
    assert.deepEqual(lines(run.stderr), [
      'warning: refId 6 at $.stages[5].isNew: unknown field "isNew" for a wait stage (kept as given, not used)',
      'warning: refId 5 at $.stages[4].application: application "checkout" is not known to this installation',
      'warning: refId 5 at $.stages[4].pipeline: pipeline "0b6d9c4e-5a2f-4e8b-9c71-3d4e5f6a7b80" of application "checkout" is not known to this installation',
    ]);
  });

  test('the YAML version validates the same', () => {
    const run = gennaker('validate', join(fixtures, 'spinnaker-export.yaml'));
    assert.equal(run.code, 0);
    assert.deepEqual(lines(run.stdout), [exportSummary]);
  });

  test('a linear pipeline with nothing to warn about', () => {
    const run = gennaker('validate', join(fixtures, 'linear.json'));
    assert.equal(run.code, 0);
    assert.deepEqual(lines(run.stdout), [
      'valid: billing / "Nightly ledger export (legacy linear format)" — 4 stages (webhook, wait, manualJudgment, runJob), no warnings',
    ]);
    assert.equal(run.stderr, '');
  });

  test('an invalid pipeline: exit 1 and every error with refId, JSON path and what was expected', () => {
    const run = gennaker('validate', join(fixtures, 'invalid-stage-fields.json'));
    assert.equal(run.code, 1);
    assert.equal(run.stdout, '');
    assert.deepEqual(lines(run.stderr), [
      'error: GNK_E_PIPELINE_INVALID: checkout / "Broken stage fields" is not a valid pipeline (8 errors)',
      '  - at $.limitConcurrent: expected true or false, got "sometimes"',
      '  - refId 1 at $.stages[0].variables[0].key: expected a non-empty variable name, got nothing (the field is missing)',
      '  - refId 2 at $.stages[1].type: expected a stage type: one of wait, manualJudgment, checkPreconditions, evaluateVariables, webhook, pipeline, runJob, enableServerGroup, disableServerGroup, destroyServerGroup, resizeServerGroup, cloneServerGroup, disableCluster, scaleDownCluster, shrinkCluster, findImageFromCluster, setTrafficWeights, got "deployManifest"',
      '  - refId 3 at $.stages[2].waitTime: expected a number of seconds, 0 or more, got "soon"',
      '  - refId 4 at $.stages[3].method: expected an HTTP method (GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS), got "FETCH"',
      '  - refId 4 at $.stages[3].url: expected the URL to call (only a monitorOnly webhook with a statusEndpoint can do without), got nothing (the field is missing)',
      '  - refId 5 at $.stages[4].stageTimeoutMs: expected a whole number of milliseconds ≥ 1, got -1',
      '  - refId 5 at $.stages[4].judgmentInputs[0].value: expected a non-empty option text, got nothing (the field is missing)',
    ]);
  });

  test('graph errors are listed too', () => {
    const run = gennaker('validate', join(fixtures, 'invalid-graph.json'));
    assert.equal(run.code, 1);
    assert.match(run.stderr, /refId 2 at \$\.stages\[1\]\.requisiteStageRefIds: stages wait for each other in a cycle: 2 → 4 → 3 → 2/);
    assert.equal(lines(run.stderr).length, 5);
  });

  test('--strict makes unknown references errors; other warnings stay warnings', () => {
    const run = gennaker('validate', '--strict', join(fixtures, 'spinnaker-export.json'));
    assert.equal(run.code, 1);
    assert.deepEqual(lines(run.stderr), [
      'error: GNK_E_PIPELINE_INVALID: checkout / "Deploy to prod" is not a valid pipeline (2 errors)',
      '  - refId 5 at $.stages[4].application: application "checkout" is not known to this installation',
      '  - refId 5 at $.stages[4].pipeline: pipeline "0b6d9c4e-5a2f-4e8b-9c71-3d4e5f6a7b80" of application "checkout" is not known to this installation',
      'warning: refId 6 at $.stages[5].isNew: unknown field "isNew" for a wait stage (kept as given, not used)',
    ]);
  });

  test('--json prints the normalised pipeline and the warnings', () => {
    const run = gennaker('validate', '--json', join(fixtures, 'spinnaker-export.json'));
    assert.equal(run.code, 0);
    const result = JSON.parse(run.stdout) as { ok: boolean; pipeline: { stages: { refId: string; onFailure: string }[] }; warnings: unknown[] };
    assert.equal(result.ok, true);
    assert.deepEqual(result.pipeline.stages.map((stage) => stage.onFailure).slice(-2), ['haltPipeline', 'ignore']);
    assert.equal(result.warnings.length, 3);
  });

  test('--json on an invalid pipeline prints the coded error and every issue, and exits 1', () => {
    const run = gennaker('validate', '--json', join(fixtures, 'invalid-mixed-refids.json'));
    assert.equal(run.code, 1);
    const result = JSON.parse(run.stdout) as { ok: boolean; error: { code: string; details: unknown[] }; errors: { path: string }[] };
    assert.equal(result.ok, false);
    assert.equal(result.error.code, 'GNK_E_PIPELINE_INVALID');
    assert.deepEqual(result.errors.map((issue) => issue.path), ['$.stages[1].refId']);
    assert.equal(result.error.details.length, 1);
  });

  test('text that is not JSON: exit 1 with the file, line and column', () => {
    const run = gennaker('validate', join(fixtures, 'invalid-syntax.json'));
    assert.equal(run.code, 1);
    assert.match(run.stderr, /^error: GNK_E_PIPELINE_UNREADABLE: .*invalid-syntax\.json:5:1: not valid JSON: /);
    const json = JSON.parse(gennaker('validate', '--json', join(fixtures, 'invalid-syntax.yaml')).stdout) as { ok: boolean; error: { code: string; details: { line: number }[] } };
    assert.equal(json.ok, false);
    assert.equal(json.error.code, 'GNK_E_PIPELINE_UNREADABLE');
    assert.equal(json.error.details[0]!.line, 6);
  });

  test('a file that cannot be read: exit 1 naming it', () => {
    const missing = join(scratch, 'no-such-pipeline.json');
    const run = gennaker('validate', missing);
    assert.equal(run.code, 1);
    assert.match(run.stderr, new RegExp(`^error: GNK_E_PIPELINE_UNREADABLE: ${missing.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: ENOENT`));
  });

  test('a file without a known extension is read as JSON or YAML', () => {
    const file = join(scratch, 'pipeline');
    writeFileSync(file, 'application: a\nname: b\nstages:\n  - type: wait\n    waitTime: 1\n');
    const run = gennaker('validate', file);
    assert.equal(run.code, 0);
    assert.deepEqual(lines(run.stdout), ['valid: a / "b" — 1 stage (wait), no warnings']);
  });

  test('the file argument is required', () => {
    const run = gennaker('validate');
    assert.equal(run.code, 1);
    assert.match(run.stderr, /missing required argument 'file'/);
  });
});
