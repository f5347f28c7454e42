import assert from 'node:assert/strict';
import { test } from 'node:test';
import { actionOf, executionIdOf, targetOf } from '../src/api/audit-hook.js';

test('actions are derived from the method and the route template', () => {
  assert.equal(actionOf('POST', '/api/applications'), 'application.create');
  assert.equal(actionOf('PUT', '/api/applications/:application'), 'application.update');
  assert.equal(actionOf('PATCH', '/api/applications/:application'), 'application.update');
  assert.equal(actionOf('DELETE', '/api/applications/:application'), 'application.delete');
  assert.equal(actionOf('POST', '/api/applications/:application/pipelines'), 'application.pipeline.create');
  assert.equal(actionOf('DELETE', '/api/applications/:application/pipelines/:id'), 'application.pipeline.delete');
  assert.equal(actionOf('POST', '/api/executions/:id/cancel'), 'execution.cancel');
  assert.equal(actionOf('POST', '/api/executions/:id/stages/:stageId/skip'), 'execution.stage.skip');
  assert.equal(actionOf('POST', '/api/freezes'), 'freeze.create');
  assert.equal(actionOf('POST', '/api/policies'), 'policy.create');
});

test('the target is the last path parameter, else the name or id in the body or the response', () => {
  assert.deepEqual(targetOf('/api/applications/:application', { application: 'shop' }, undefined, undefined), { type: 'application', id: 'shop' });
  assert.deepEqual(targetOf('/api/executions/:id/stages/:stageId/skip', { id: 'e1', stageId: 's2' }, undefined, undefined), { type: 'stage', id: 's2' });
  assert.deepEqual(targetOf('/api/applications', {}, { name: 'shop' }, { name: 'other' }), { type: 'application', id: 'shop' });
  assert.deepEqual(targetOf('/api/freezes', {}, { reason: 'x' }, { id: 'f-1' }), { type: 'freeze', id: 'f-1' });
  assert.deepEqual(targetOf('/api/freezes', {}, 'text', undefined), { type: 'freeze', id: '' });
});

test('routes under an execution link their record to it', () => {
  assert.equal(executionIdOf('/api/executions/:id/stages/:stageId/skip', { id: 'e1', stageId: 's2' }), 'e1');
  assert.equal(executionIdOf('/api/executions/:executionId/cancel', { executionId: 'e2' }), 'e2');
  assert.equal(executionIdOf('/api/executions', {}), undefined);
  assert.equal(executionIdOf('/api/applications/:application', { application: 'shop' }), undefined);
});
