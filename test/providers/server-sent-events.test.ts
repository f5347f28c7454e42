import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EventStreamParser } from '../../src/providers/local/server-sent-events.js';

test('events are assembled across chunk boundaries, with ids, names and multi-line data', () => {
  const parser = new EventStreamParser();
  assert.deepEqual(parser.push('id: 1\ndata: {"a"'), []);
  assert.deepEqual(parser.push(':1}\n\nevent: gap\ndata: {"latestSeq":9}\n'), [{ event: 'message', data: '{"a":1}', id: '1' }]);
  assert.deepEqual(parser.push('\ndata: one\ndata: two\nid: 2\n\n'), [
    { event: 'gap', data: '{"latestSeq":9}', id: '1' },
    { event: 'message', data: 'one\ntwo', id: '2' },
  ]);
});

test('CRLF and CR line ends work, even when a CRLF is split between chunks; comments are ignored', () => {
  const parser = new EventStreamParser();
  assert.deepEqual(parser.push(': keep-alive\r\ndata: x\r'), []);
  assert.deepEqual(parser.push('\n\r\ndata:y\r\r'), [
    { event: 'message', data: 'x' },
    { event: 'message', data: 'y' },
  ]);
});

test('a blank line without data dispatches nothing', () => {
  assert.deepEqual(new EventStreamParser().push('\n\nretry: 10\n\n'), []);
});
