import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { GennakerError } from '../../src/core/errors.js';
import { executionWindowOfStage, parseExecutionWindow } from '../../src/core/time-rules/index.js';

function validationFailure(expectedPath: string, expectedText: RegExp, refId?: string): (error: unknown) => boolean {
  return (error) => {
    assert.ok(error instanceof GennakerError, `expected a GennakerError, got ${String(error)}`);
    assert.equal(error.code, 'GNK_E_VALIDATION');
    const detail = error.details.find((d) => d.path === expectedPath);
    assert.ok(detail, `no detail for ${expectedPath} in ${JSON.stringify(error.details)}`);
    assert.match(String(detail.expected), expectedText);
    assert.match(error.message, new RegExp(expectedPath.replace(/[.[\]]/g, '\\$&')));
    if (refId !== undefined) {
      assert.equal(detail['refId'], refId);
      assert.match(error.message, new RegExp(`stage ${refId}`));
    }
    return true;
  };
}

describe('parseExecutionWindow: accepted input', () => {
  test('a full window keeps its fields', () => {
    const window = parseExecutionWindow({
      whitelist: [{ startHour: 9, startMin: 0, endHour: 17, endMin: 30 }],
      days: [2, 3, 4, 5, 6],
      jitter: { enabled: true, minDelay: 0, maxDelay: 600, skipManual: true },
      timezone: 'Europe/London',
    });
    assert.deepEqual(window, {
      whitelist: [{ startHour: 9, startMin: 0, endHour: 17, endMin: 30 }],
      days: [2, 3, 4, 5, 6],
      jitter: { enabled: true, minDelay: 0, maxDelay: 600, skipManual: true },
      timezone: 'Europe/London',
    });
  });

  test('an empty object means all hours, every day, no jitter, the default zone', () => {
    assert.deepEqual(parseExecutionWindow({}), {
      whitelist: [],
      days: [],
      jitter: { enabled: false, minDelay: 0, maxDelay: 0, skipManual: false },
    });
  });

  test('numbers and booleans written as strings (Spinnaker exports) are coerced', () => {
    const window = parseExecutionWindow({
      whitelist: [{ startHour: '9', startMin: '05', endHour: ' 17 ', endMin: '0' }],
      days: ['2', '7'],
      jitter: { enabled: 'true', minDelay: '30', maxDelay: '90', skipManual: 'false' },
    });
    assert.deepEqual(window.whitelist, [{ startHour: 9, startMin: 5, endHour: 17, endMin: 0 }]);
    assert.deepEqual(window.days, [2, 7]);
    assert.deepEqual(window.jitter, { enabled: true, minDelay: 30, maxDelay: 90, skipManual: false });
  });

  test('null fields take their defaults', () => {
    const window = parseExecutionWindow({ whitelist: null, days: null, jitter: { enabled: null, minDelay: null }, timezone: null });
    assert.deepEqual(window, { whitelist: [], days: [], jitter: { enabled: false, minDelay: 0, maxDelay: 0, skipManual: false } });
  });

  test('days are sorted and duplicates dropped', () => {
    assert.deepEqual(parseExecutionWindow({ days: [7, 1, 7, 3] }).days, [1, 3, 7]);
  });

  test("keys Deck writes for its own display are accepted and dropped", () => {
    const window = parseExecutionWindow({
      whitelist: [{ startHour: 1, startMin: 0, endHour: 2, endMin: 0, wrapEnd: false }],
      atlasEnabled: false,
      currentRegion: 'us-east-1',
    });
    assert.deepEqual(window, {
      whitelist: [{ startHour: 1, startMin: 0, endHour: 2, endMin: 0 }],
      days: [],
      jitter: { enabled: false, minDelay: 0, maxDelay: 0, skipManual: false },
    });
  });

  test('a disabled jitter may carry any delays (Deck leaves them behind)', () => {
    assert.equal(parseExecutionWindow({ jitter: { enabled: false, minDelay: 600, maxDelay: 10 } }).jitter.enabled, false);
  });
});

describe('parseExecutionWindow: rejected input names the field and what was expected', () => {
  const cases: readonly { name: string; input: unknown; path: string; expected: RegExp }[] = [
    { name: 'hour 24', input: { whitelist: [{ startHour: 24, startMin: 0, endHour: 1, endMin: 0 }] }, path: 'restrictedExecutionWindow.whitelist[0].startHour', expected: /hour from 0 to 23/ },
    { name: 'minute 60', input: { whitelist: [{ startHour: 1, startMin: 60, endHour: 1, endMin: 0 }] }, path: 'restrictedExecutionWindow.whitelist[0].startMin', expected: /minute from 0 to 59/ },
    { name: 'a fractional hour', input: { whitelist: [{ startHour: 9.5, startMin: 0, endHour: 10, endMin: 0 }] }, path: 'restrictedExecutionWindow.whitelist[0].startHour', expected: /hour from 0 to 23/ },
    { name: 'an hour written as a word', input: { whitelist: [{ startHour: 1, startMin: 0, endHour: 'nine', endMin: 0 }] }, path: 'restrictedExecutionWindow.whitelist[0].endHour', expected: /hour from 0 to 23/ },
    { name: 'a missing end minute', input: { whitelist: [{ startHour: 1, startMin: 0, endHour: 2 }] }, path: 'restrictedExecutionWindow.whitelist[0].endMin', expected: /minute/ },
    { name: 'day 0 (JavaScript Sunday, not Calendar)', input: { days: [0] }, path: 'restrictedExecutionWindow.days[0]', expected: /1 = Sunday/ },
    { name: 'day 8', input: { days: [1, 8] }, path: 'restrictedExecutionWindow.days[1]', expected: /7 = Saturday/ },
    { name: 'days as a word', input: { days: 'Monday' }, path: 'restrictedExecutionWindow.days', expected: /list of weekday numbers/ },
    { name: 'an unknown zone', input: { timezone: 'Mars/Olympus_Mons' }, path: 'restrictedExecutionWindow.timezone', expected: /IANA time zone/ },
    { name: 'a misspelt key', input: { timeZone: 'Europe/London' }, path: 'restrictedExecutionWindow', expected: /unknown key\(s\) timeZone/ },
    { name: 'jitter maxDelay below minDelay', input: { jitter: { enabled: true, minDelay: 60, maxDelay: 10 } }, path: 'restrictedExecutionWindow.jitter.maxDelay', expected: /at least minDelay/ },
    { name: 'a negative delay', input: { jitter: { enabled: true, minDelay: -1, maxDelay: 10 } }, path: 'restrictedExecutionWindow.jitter.minDelay', expected: /seconds, 0 or more/ },
    { name: 'not an object', input: '09:00-17:00', path: 'restrictedExecutionWindow', expected: /object with whitelist/ },
  ];
  for (const { name, input, path, expected } of cases) {
    test(name, () => assert.throws(() => parseExecutionWindow(input), validationFailure(path, expected)));
  }

  test('every bad field is reported at once', () => {
    assert.throws(
      () => parseExecutionWindow({ whitelist: [{ startHour: 25, startMin: 0, endHour: 1, endMin: 99 }], days: [9] }),
      (error: unknown) => {
        assert.ok(error instanceof GennakerError);
        assert.deepEqual(
          error.details.map((detail) => detail.path),
          [
            'restrictedExecutionWindow.whitelist[0].startHour',
            'restrictedExecutionWindow.whitelist[0].endMin',
            'restrictedExecutionWindow.days[0]',
          ],
        );
        return true;
      },
    );
  });

  test('the caller places the error in its document and stage', () => {
    assert.throws(
      () => parseExecutionWindow({ days: [0] }, { path: 'stages[3].restrictedExecutionWindow', refId: 'deploy' }),
      validationFailure('stages[3].restrictedExecutionWindow.days[0]', /Calendar/, 'deploy'),
    );
  });
});

describe('executionWindowOfStage', () => {
  const window = { whitelist: [{ startHour: 9, startMin: 0, endHour: 17, endMin: 0 }] };

  test('an unrestricted stage has no window', () => {
    assert.equal(executionWindowOfStage({ refId: '1', type: 'wait' }), undefined);
  });

  test('restrictExecutionDuringTimeWindow false ignores a leftover window, even an invalid one', () => {
    assert.equal(executionWindowOfStage({ refId: '1', restrictExecutionDuringTimeWindow: false, restrictedExecutionWindow: { days: [0] } }), undefined);
  });

  test('a restricted stage yields its parsed window; the flag may be the string "true"', () => {
    const parsed = executionWindowOfStage({ refId: '1', restrictExecutionDuringTimeWindow: 'true', restrictedExecutionWindow: window });
    assert.deepEqual(parsed?.whitelist, [{ startHour: 9, startMin: 0, endHour: 17, endMin: 0 }]);
  });

  test('a restricted stage without a window is an error at the stage path, naming the refId', () => {
    assert.throws(
      () => executionWindowOfStage({ refId: 2, restrictExecutionDuringTimeWindow: true }, 'stages[1]'),
      validationFailure('stages[1].restrictedExecutionWindow', /restrictExecutionDuringTimeWindow is true/, '2'),
    );
  });

  test('a flag that is not a boolean is an error', () => {
    assert.throws(
      () => executionWindowOfStage({ refId: 'a', restrictExecutionDuringTimeWindow: 'yes', restrictedExecutionWindow: window }, 'stages[0]'),
      validationFailure('stages[0].restrictExecutionDuringTimeWindow', /true or false/, 'a'),
    );
  });

  test('errors inside the window carry the stage path and refId', () => {
    assert.throws(
      () =>
        executionWindowOfStage(
          { refId: 'canary', restrictExecutionDuringTimeWindow: true, restrictedExecutionWindow: { whitelist: [{ startHour: 1, startMin: 0, endHour: 24, endMin: 0 }] } },
          'stages[4]',
        ),
      validationFailure('stages[4].restrictedExecutionWindow.whitelist[0].endHour', /hour from 0 to 23/, 'canary'),
    );
  });
});
