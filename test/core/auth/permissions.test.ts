import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { accountActions, applicationActions, type AccountAction, type ApplicationAction, type Principal } from '../../../src/core/auth/model.js';
import {
  applicationPermissionsOf,
  decidePipelineRun,
  describeMissing,
  mayAccount,
  mayApplication,
  principalFor,
  summarisePermissions,
} from '../../../src/core/auth/permissions.js';

const user = (roles: readonly string[], admin = false): Principal => ({ name: 'ann', kind: 'user', roles, admin, via: 'token' });

/** Every subset of `items`. */
function subsets<T>(items: readonly T[]): T[][] {
  return items.reduce<T[][]>((all, item) => [...all, ...all.map((subset) => [...subset, item])], [[]]);
}

/** What each granted action entitles its holders to on an application, written out by hand. */
const applicationImplies: Record<ApplicationAction, readonly ApplicationAction[]> = {
  READ: ['READ'],
  EXECUTE: ['EXECUTE', 'READ'],
  WRITE: ['WRITE', 'EXECUTE', 'READ'],
};

describe('application permissions', () => {
  for (const granted of subsets(applicationActions)) {
    const permissions = Object.fromEntries(granted.map((action) => [action, ['dev']]));
    for (const action of applicationActions) {
      const entitled = granted.some((grant) => applicationImplies[grant].includes(action));
      test(`grants ${JSON.stringify(permissions)}: ${action} is ${entitled ? 'allowed' : 'refused'} to a holder of the role`, () => {
        assert.equal(mayApplication(user(['dev']), permissions, action), entitled);
        assert.equal(mayApplication(user(['dev', 'other']), permissions, action), entitled, 'extra roles change nothing');
        assert.equal(mayApplication(user(['ops']), permissions, action), false, 'another role gets nothing');
        assert.equal(mayApplication(user([]), permissions, action), false, 'no role gets nothing');
        assert.equal(mayApplication(user([], true), permissions, action), true, 'administrators get everything');
      });
    }
  }

  test('closed by default: no permissions at all, or an empty role list, admit administrators only', () => {
    for (const action of applicationActions) {
      assert.equal(mayApplication(user(['dev']), undefined, action), false);
      assert.equal(mayApplication(user(['dev']), {}, action), false);
      assert.equal(mayApplication(user(['dev']), { [action]: [] }, action), false);
      assert.equal(mayApplication(user([], true), undefined, action), true);
    }
  });

  test('a role named in one action does not leak into another of equal or higher rank', () => {
    assert.equal(mayApplication(user(['dev']), { READ: ['dev'], WRITE: ['ops'] }, 'WRITE'), false);
    assert.equal(mayApplication(user(['ops']), { READ: ['dev'], WRITE: ['ops'] }, 'READ'), true);
  });
});

describe('account permissions: READ and WRITE independent', () => {
  for (const granted of subsets(accountActions)) {
    const permissions = Object.fromEntries(granted.map((action) => [action, ['dev']]));
    for (const action of accountActions) {
      const entitled = granted.includes(action);
      test(`grants ${JSON.stringify(permissions)}: ${action} is ${entitled ? 'allowed' : 'refused'}`, () => {
        assert.equal(mayAccount(user(['dev']), permissions, action), entitled);
        assert.equal(mayAccount(user(['ops']), permissions, action), false);
        assert.equal(mayAccount(user([], true), permissions, action), true);
      });
    }
  }

  test('closed by default', () => {
    for (const action of accountActions satisfies readonly AccountAction[]) {
      assert.equal(mayAccount(user(['dev']), undefined, action), false);
      assert.equal(mayAccount(user([], true), undefined, action), true);
    }
  });
});

describe('running a pipeline: EXECUTE on the application and WRITE on every account', () => {
  const target = {
    application: { name: 'shop', permissions: { EXECUTE: ['deployer'], READ: ['viewer'] } },
    accounts: [
      { name: 'staging', permissions: { WRITE: ['deployer'], READ: ['viewer'] } },
      { name: 'prod', permissions: { WRITE: ['prod-deployer'], READ: ['deployer'] } },
      { name: 'prod', permissions: { WRITE: ['prod-deployer'], READ: ['deployer'] } },
      { name: 'sandbox', permissions: undefined },
    ],
  };

  test('an administrator may run anything', () => {
    assert.deepEqual(decidePipelineRun(user([], true), target), { kind: 'allowed' });
  });

  test('names every missing permission, each account once, in order', () => {
    const decision = decidePipelineRun(user(['deployer']), target);
    assert.deepEqual(decision, {
      kind: 'denied',
      missing: [
        { resource: 'account', name: 'prod', action: 'WRITE' },
        { resource: 'account', name: 'sandbox', action: 'WRITE' },
      ],
    });
    assert.deepEqual(decision.kind === 'denied' ? decision.missing.map(describeMissing) : [], ['WRITE on account prod', 'WRITE on account sandbox']);
  });

  test('READ on the application is not enough; READ on an account is not WRITE', () => {
    const decision = decidePipelineRun(user(['viewer']), { application: target.application, accounts: [target.accounts[0]!] });
    assert.deepEqual(decision, {
      kind: 'denied',
      missing: [
        { resource: 'application', name: 'shop', action: 'EXECUTE' },
        { resource: 'account', name: 'staging', action: 'WRITE' },
      ],
    });
  });

  test('WRITE on the application implies EXECUTE; all accounts writable → allowed; no accounts → the application alone decides', () => {
    const writer = user(['app-writer', 'deployer', 'prod-deployer', 'sandbox-deployer']);
    const accounts = target.accounts.map((account) => ({ ...account, permissions: { WRITE: ['deployer', 'prod-deployer', 'sandbox-deployer'] } }));
    assert.deepEqual(decidePipelineRun(writer, { application: { name: 'shop', permissions: { WRITE: ['app-writer'] } }, accounts }), { kind: 'allowed' });
    assert.deepEqual(decidePipelineRun(user(['deployer']), { application: target.application, accounts: [] }), { kind: 'allowed' });
  });
});

describe('reading grants from an application record', () => {
  test('a well-formed permissions attribute is read as is', () => {
    assert.deepEqual(applicationPermissionsOf({ permissions: { READ: ['a'], WRITE: ['b'] } }), { READ: ['a'], WRITE: ['b'] });
  });

  test('absent or malformed grants nothing (closed)', () => {
    for (const permissions of [undefined, null, 'READ', ['a'], { READ: 'a' }, { READ: [1] }, { ADMIN: ['a'] }, { READ: [''] }]) {
      assert.equal(applicationPermissionsOf({ permissions }), undefined, JSON.stringify(permissions));
    }
  });
});

describe('summaries and principals', () => {
  test('the summary lists what may be done, leaving out resources with nothing', () => {
    const summary = summarisePermissions(
      user(['dev']),
      [
        { name: 'shop', permissions: { EXECUTE: ['dev'] } },
        { name: 'secret', permissions: { READ: ['ops'] } },
      ],
      [
        { name: 'staging', permissions: { WRITE: ['dev'] } },
        { name: 'prod', permissions: undefined },
      ],
    );
    assert.deepEqual(summary, { applications: { shop: ['READ', 'EXECUTE'] }, accounts: { staging: ['WRITE'] } });
  });

  test('holding the configured administrator role makes an administrator', () => {
    assert.deepEqual(principalFor({ name: 'bot', kind: 'service', roles: ['ops'] }, 'ops', 'trigger'), {
      name: 'bot',
      kind: 'service',
      roles: ['ops'],
      admin: true,
      via: 'trigger',
    });
    assert.equal(principalFor({ name: 'ann', kind: 'user', roles: ['admin'] }, 'root', 'session').admin, false);
  });
});
