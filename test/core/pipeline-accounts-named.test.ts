import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { accountsNamed } from '../../src/core/pipeline/accounts-named.js';
import { builtInStageTypes } from '../../src/core/pipeline/stage-types/built-in.js';

describe('the accounts a pipeline names', () => {
  test('cloud stages name theirs by credentials or account; deploy stages in each cluster; sorted, without repeats', () => {
    const stages = [
      { type: 'disableServerGroup', context: { credentials: 'prod', regions: ['us-east'] } },
      { type: 'resizeServerGroup', context: { account: 'staging' } },
      { type: 'deploy', context: { clusters: [{ account: 'prod' }, { credentials: 'eu' }, { account: 'dr' }] } },
      { type: 'wait', context: { waitTime: 5 } },
    ];
    assert.deepEqual(accountsNamed(stages, builtInStageTypes), ['dr', 'eu', 'prod', 'staging']);
  });

  test('accounts a stage type declares as references count too (a clusterSize precondition)', () => {
    const stages = [{ type: 'checkPreconditions', context: { preconditions: [{ type: 'clusterSize', context: { credentials: 'audit', cluster: 'x-prod' } }] } }];
    assert.deepEqual(accountsNamed(stages, builtInStageTypes), ['audit']);
  });

  test('accounts given by an expression are left to run time; blank names and non-text values are ignored', () => {
    const stages = [
      { type: 'disableServerGroup', context: { credentials: '${ parameters.account }' } },
      { type: 'deploy', context: { clusters: [{ account: '  ' }, { account: 42 }, 'not a cluster', { credentials: '${trigger.account}' }] } },
      { type: 'resizeServerGroup', context: { account: ' spaced ' } },
    ];
    assert.deepEqual(accountsNamed(stages, builtInStageTypes), ['spaced']);
  });

  test('stage types this installation does not know still have their cloud fields read', () => {
    assert.deepEqual(accountsNamed([{ type: 'customDeploy', context: { account: 'prod' } }], builtInStageTypes), ['prod']);
    assert.deepEqual(accountsNamed([], builtInStageTypes), []);
  });
});
