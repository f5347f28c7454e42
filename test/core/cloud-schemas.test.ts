import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { z } from 'zod';
import {
  capacitySchema,
  cloudChangeSchema,
  cloudOperationSchema,
  launchSpecSchema,
  operationStatusSchema,
  serverGroupSchema,
} from '../../src/core/cloud/index.js';

/** Each issue as `path: message`, the way an error reaches a user. */
function issues(result: z.ZodSafeParseResult<unknown>): string[] {
  assert.equal(result.success, false, 'expected the input to be refused');
  return result.error!.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
}

const launch = {
  artifact: { name: 'hello', version: '1.0.0', location: '/srv/hello' },
  command: ['node', 'server.js'],
};

describe('cloud model schemas', () => {
  test('capacity must satisfy min ≤ desired ≤ max', () => {
    assert.deepEqual(capacitySchema.parse({ min: 1, max: 3, desired: 2 }), { min: 1, max: 3, desired: 2 });
    assert.deepEqual(issues(capacitySchema.safeParse({ min: 2, max: 3, desired: 1 })), [': expected min ≤ desired ≤ max']);
    assert.deepEqual(issues(capacitySchema.safeParse({ min: 0, max: 1, desired: 2 })), [': expected min ≤ desired ≤ max']);
  });

  test('capacity fields are whole, non-negative and named', () => {
    const problems = issues(capacitySchema.safeParse({ min: -1, max: 1.5, desired: 'two' }));
    assert.equal(problems.length, 3);
    assert.match(problems[0]!, /^min: .*>=0/);
    assert.match(problems[1]!, /^max: .*int/i);
    assert.match(problems[2]!, /^desired: .*number/);
    assert.deepEqual(issues(capacitySchema.safeParse({ min: 0, max: 1, desired: 1, spare: 2 })), [': Unrecognized key: "spare"']);
  });

  test('a launch spec gets the default health check; bad paths and empty commands are refused', () => {
    const parsed = launchSpecSchema.parse(launch);
    assert.deepEqual(parsed.env, {});
    assert.deepEqual(parsed.healthCheck, {
      path: '/health',
      intervalMs: 1000,
      timeoutMs: 1000,
      healthyThreshold: 1,
      unhealthyThreshold: 2,
    });
    const problems = issues(launchSpecSchema.safeParse({ ...launch, command: [], healthCheck: { path: 'health', intervalMs: 10 } }));
    assert.deepEqual(
      problems.map((problem) => problem.split(':')[0]),
      ['command', 'healthCheck.path', 'healthCheck.intervalMs'],
    );
  });

  test('a server group name allows only letters, digits, ".", "_" and "-"', () => {
    const group = {
      account: 'local',
      region: 'us-east',
      name: 'hello v000',
      cluster: 'hello',
      application: 'hello',
      capacity: { min: 0, max: 0, desired: 0 },
      enabled: true,
      launch,
      loadBalancers: [],
      instances: [],
      createdAt: 0,
    };
    assert.deepEqual(issues(serverGroupSchema.safeParse(group)), ['name: expected letters, digits, ".", "_" and "-" only']);
    assert.equal(serverGroupSchema.parse({ ...group, name: 'hello-v000' }).name, 'hello-v000');
  });
});

describe('operation schemas', () => {
  test('an unknown operation type names the field and the types allowed', () => {
    const problems = issues(cloudOperationSchema.safeParse({ type: 'explode', account: 'local', region: 'us-east' }));
    assert.equal(problems.length, 1);
    assert.match(problems[0]!, /^type: .*createServerGroup/);
  });

  test('createServerGroup: defaults, and a bad capacity is reported under capacity', () => {
    const create = { type: 'createServerGroup', account: 'local', region: 'us-east', application: 'hello', launch };
    const parsed = cloudOperationSchema.parse({ ...create, capacity: { min: 1, max: 1, desired: 1 } });
    assert.equal(parsed.type, 'createServerGroup');
    if (parsed.type === 'createServerGroup') {
      assert.equal(parsed.enabled, true);
      assert.deepEqual(parsed.loadBalancers, []);
    }
    assert.deepEqual(issues(cloudOperationSchema.safeParse({ ...create, capacity: { min: 3, max: 1, desired: 2 } })), [
      'capacity: expected min ≤ desired ≤ max',
    ]);
  });

  test('terminateInstances needs at least one instance; weights are whole and non-negative', () => {
    const where = { account: 'local', region: 'us-east' };
    assert.match(issues(cloudOperationSchema.safeParse({ type: 'terminateInstances', ...where, instanceIds: [] }))[0]!, /^instanceIds: /);
    assert.match(
      issues(cloudOperationSchema.safeParse({ type: 'setTrafficWeights', ...where, loadBalancer: 'lb', weights: { 'a-v000': -1 } }))[0]!,
      /^weights\.a-v000: /,
    );
    assert.equal(
      cloudOperationSchema.parse({ type: 'setTrafficWeights', ...where, loadBalancer: 'lb', weights: null }).type,
      'setTrafficWeights',
    );
  });

  test('operation statuses and changes are closed unions', () => {
    assert.equal(operationStatusSchema.safeParse({ state: 'running', clientToken: 't' }).success, true);
    assert.equal(operationStatusSchema.safeParse({ state: 'failed', clientToken: 't' }).success, false);
    assert.equal(cloudChangeSchema.safeParse({ kind: 'serverGroupRemoved', seq: 1, account: 'a', region: 'r', name: 'n' }).success, true);
    assert.match(issues(cloudChangeSchema.safeParse({ kind: 'instanceMoved', seq: 1 }))[0]!, /^kind: /);
  });
});
