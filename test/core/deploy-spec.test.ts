import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { specAccount, specCluster, specRegions, specStrategy } from '../../src/core/deploy/deploy-spec.js';
import { createServerGroupStageSchema } from '../../src/core/pipeline/stage-types/create-server-group.js';
import { deployStageSchema } from '../../src/core/pipeline/stage-types/deploy.js';

const base = {
  application: 'hello',
  credentials: 'local',
  region: 'us-east',
  capacity: { min: 2, max: 2, desired: 2 },
  artifact: { name: 'hello', version: '1.0.0', location: '/srv/hello' },
  command: ['node', 'server.js'],
};

function parsed(extra: Record<string, unknown> = {}) {
  return createServerGroupStageSchema.parse({ ...base, ...extra });
}

function problems(raw: unknown): string[] {
  const result = createServerGroupStageSchema.safeParse(raw);
  assert.ok(!result.success, 'expected the input not to parse');
  return result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
}

describe('server group specs', () => {
  test('account, regions and cluster come from Spinnaker’s fields', () => {
    const spec = parsed({ stack: 'prod', freeFormDetails: 'canary-a' });
    assert.equal(specAccount(spec), 'local');
    assert.deepEqual(specRegions(spec), ['us-east']);
    assert.equal(specCluster(spec), 'hello-prod-canary-a');
    const zones = deployStageSchema.parse({ clusters: [{ ...base, region: undefined, account: 'other', availabilityZones: { 'us-east': [], 'eu-west': ['a'] } }] });
    assert.deepEqual(specRegions(zones.clusters[0]!), ['us-east', 'eu-west']);
    assert.equal(specAccount(zones.clusters[0]!), 'other');
    assert.equal(specCluster(parsed({ freeFormDetails: 'x' })), 'hello--x');
  });

  test('strategies get Spinnaker’s defaults; delayBeforeCleanup stands in for delayBeforeDisableSec', () => {
    assert.deepEqual(specStrategy(parsed()), { kind: 'none' });
    assert.deepEqual(specStrategy(parsed({ strategy: 'highlander' })), { kind: 'highlander' });
    assert.deepEqual(specStrategy(parsed({ strategy: 'redblack', delayBeforeCleanup: 5 })), {
      kind: 'redblack',
      maxRemainingAsgs: 2,
      delayBeforeDisableSec: 5,
      scaleDown: false,
      delayBeforeScaleDownSec: 0,
    });
    assert.deepEqual(specStrategy(parsed({ strategy: 'rollingredblack', targetPercentages: [50, 25] })), {
      kind: 'rollingredblack',
      targetPercentages: [25, 50],
      delayBeforeCleanupSec: 0,
      scaleDown: false,
    });
    assert.deepEqual(specStrategy(parsed({ strategy: 'canary', steps: [{ setWeight: 20 }, { pause: { duration: '5s' } }, { pause: { duration: '2m' } }, { pause: {} }, { setWeight: '100' }] })), {
      kind: 'canary',
      steps: [{ setWeight: 20 }, { pause: { durationSec: 5 } }, { pause: { durationSec: 120 } }, { pause: {} }, { setWeight: 100 }],
    });
  });

  test('bad input names the field and what was expected', () => {
    assert.deepEqual(problems({ ...base, credentials: undefined }), ['account: expected an account (account or credentials)']);
    assert.deepEqual(problems({ ...base, capacity: { min: 3, max: 2, desired: 2 } }), ['capacity: expected min ≤ desired ≤ max']);
    assert.deepEqual(problems({ ...base, strategy: 'bluegreen' }), ['strategy: expected one of none, highlander, redblack, rollingredblack, canary or ""']);
    assert.deepEqual(problems({ ...base, artifact: { name: 'hello', location: '/x' } }), ['artifact.version: expected the artifact version']);
    assert.deepEqual(problems({ ...base, strategy: 'canary', steps: [{ setWeight: 120 }] }), ['steps.0.setWeight: expected a percentage from 0 to 100']);
    assert.deepEqual(problems({ ...base, steps: [{ setWeight: 10, pause: {} }] }), ['steps.0: expected either setWeight or pause in each step']);
    assert.deepEqual(problems({ ...base, steps: [{ pause: { duration: 'soon' } }] }), ['steps.0.pause.duration: expected a duration such as 30s, 5m or 1h']);
    assert.deepEqual(problems({ ...base, region: undefined, availabilityZones: { a: [], b: [] } }), [
      'region: expected one region (region, or availabilityZones with one region; deploy takes several)',
    ]);
    const deploy = deployStageSchema.safeParse({ clusters: [] });
    assert.deepEqual(deploy.error?.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`), ['clusters: expected at least one cluster']);
  });
});
