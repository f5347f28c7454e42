import assert from 'node:assert/strict';
import { test } from 'node:test';
import { failureStatus } from '../../../src/core/execution/failure.js';
import { executionStatuses, isActive, isComplete, isHalt, letsDownstreamRun } from '../../../src/core/execution/status.js';

// One row per status: complete, halt, lets downstream run, active. Every status must have a row.
const table = {
  NOT_STARTED: [false, false, false, false],
  BUFFERED: [false, false, false, false],
  RUNNING: [false, false, false, true],
  PAUSED: [false, false, false, true],
  SUSPENDED: [false, false, false, true],
  SUCCEEDED: [true, false, true, false],
  FAILED_CONTINUE: [true, false, true, false],
  TERMINAL: [true, true, false, false],
  CANCELED: [true, true, false, false],
  STOPPED: [true, true, false, false],
  SKIPPED: [true, false, true, false],
} as const;

test('every status has its predicates', () => {
  assert.deepEqual(Object.keys(table).sort(), [...executionStatuses].sort());
  for (const status of executionStatuses) {
    assert.deepEqual([isComplete(status), isHalt(status), letsDownstreamRun(status), isActive(status)], table[status], status);
  }
});

test('a failed stage takes the status its onFailure option names', () => {
  assert.equal(failureStatus('haltPipeline'), 'TERMINAL');
  assert.equal(failureStatus('haltBranch'), 'STOPPED');
  assert.equal(failureStatus('haltBranchThenFail'), 'STOPPED');
  assert.equal(failureStatus('ignore'), 'FAILED_CONTINUE');
});
