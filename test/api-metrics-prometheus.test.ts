import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { validatePipeline } from '../src/core/pipeline/validate.js';
import { startApiServer } from './support/api-server.js';
import { freePort } from './support/free-port.js';

interface QueryAnswer {
  readonly status: string;
  readonly data: { readonly result: readonly { readonly metric: Record<string, string>; readonly value: [number, string] }[] };
}

/** A real Prometheus (apt package `prometheus`; .ci/run installs it) scraping a real server once a second. */
test('Prometheus scrapes /metrics and can query the platform’s figures', { timeout: 60_000 }, async () => {
  const server = await startApiServer({ insecureNoAuth: true });
  const dir = mkdtempSync(join(tmpdir(), 'gennaker-prometheus-'));
  const port = await freePort();
  const target = new URL(server.url).host;
  writeFileSync(
    join(dir, 'prometheus.yml'),
    ['global:', '  scrape_interval: 1s', 'scrape_configs:', '  - job_name: gennaker', '    static_configs:', `      - targets: ['${target}']`, ''].join('\n'),
  );
  const prometheus = spawn('prometheus', [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  prometheus.stderr!.on('data', (chunk: Buffer) => (log += chunk.toString()));
  const exited = new Promise((resolveExit) => prometheus.once('exit', resolveExit));
  try {
    const validation = validatePipeline({ application: 'scraped', name: 'p', stages: [{ refId: '1', type: 'wait', waitTime: 0.01 }] });
    assert.ok(validation.ok);
    await server.gennaker.engine.whenComplete(await server.gennaker.engine.runPipeline(validation.pipeline, { type: 'manual', user: 'test', parameters: {} }));

    const query = async (expression: string): Promise<QueryAnswer['data']['result']> => {
      try {
        const response = await fetch(`http://127.0.0.1:${port}/api/v1/query?query=${encodeURIComponent(expression)}`);
        return response.ok ? ((await response.json()) as QueryAnswer).data.result : [];
      } catch {
        return []; // not listening yet
      }
    };
    /** Bounded: Prometheus starts, then scrapes once a second; a scrape is timed once it is answered, so the next one shows it. */
    const scraped = async (expression: string): Promise<QueryAnswer['data']['result']> => {
      for (let i = 0; i < 300; i++) {
        const result = await query(expression);
        if (result.length > 0) return result;
        await sleep(50);
      }
      assert.fail(`Prometheus never had ${expression}; its log:\n${log.slice(-2000)}`);
    };
    assert.equal((await scraped('gennaker_executions{job="gennaker",status="SUCCEEDED"}'))[0]?.value[1], '1');
    assert.equal((await scraped('up{job="gennaker"}'))[0]?.value[1], '1');
    const transitions = await scraped('gennaker_engine_transitions_total{job="gennaker"}');
    assert.deepEqual(new Set(transitions.map((sample) => sample.metric['kind'])), new Set(['execution', 'stage', 'task']));
    const durations = await scraped('gennaker_http_request_duration_seconds_count{job="gennaker",method="GET",route="/metrics",status="200"}');
    assert.ok(Number(durations[0]?.value[1]) >= 1, 'its own scrapes are timed under the route template');
  } finally {
    prometheus.kill('SIGTERM');
    await exited;
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
