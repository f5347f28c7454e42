import type { EventEmitter } from 'node:events';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { executionStatuses, type EngineEvent } from '../core/execution/index.js';
import type { Store } from '../store/store.js';

/** What the metrics read at scrape time; narrow so a test or another process can supply it. */
export interface MetricSources {
  readonly store: Pick<Store, 'executions' | 'queue'>;
  readonly engine: { readonly events: EventEmitter<{ event: [EngineEvent] }>; stats(): { batches: number; commits: number; held: number } };
  readonly inventory: { serverGroups(): readonly unknown[]; loadBalancers(): readonly unknown[] };
  readonly liveStreams: () => number;
  readonly clock?: () => number;
}

export interface PlatformMetrics {
  readonly registry: Registry;
  observeRequest(method: string, route: string, status: number, seconds: number): void;
  /** Stops counting engine events. */
  close(): void;
}

/** Latency buckets in seconds, from sub-millisecond reads to slow writes. */
const httpBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

/**
 * Gennaker's own Prometheus metrics, in a registry of its own (not prom-client's global one), so several
 * servers in one process keep separate figures. Store-backed figures are computed at scrape time with
 * one aggregate query each, so an idle server does no work for them.
 */
export function createPlatformMetrics(sources: MetricSources): PlatformMetrics {
  const registry = new Registry();
  const clock = sources.clock ?? Date.now;
  collectDefaultMetrics({ register: registry });

  new Gauge({
    name: 'gennaker_executions',
    help: 'Executions in the store by status',
    labelNames: ['status'],
    registers: [registry],
    async collect() {
      const counts = await sources.store.executions.countByStatus();
      for (const status of executionStatuses) this.set({ status }, counts.get(status) ?? 0);
    },
  });
  new Gauge({
    name: 'gennaker_queue_lag_seconds',
    help: 'Age of the oldest due message not yet consumed (0 when none is due)',
    registers: [registry],
    async collect() {
      const now = clock();
      const oldest = await sources.store.queue.oldestDueAt(now);
      this.set(oldest === undefined ? 0 : (now - oldest) / 1000);
    },
  });
  const transitions = new Counter({
    name: 'gennaker_engine_transitions_total',
    help: 'Committed status changes published by the engine, by what changed (execution, stage, task)',
    labelNames: ['kind'],
    registers: [registry],
  });
  const countTransition = (event: EngineEvent): void => transitions.inc({ kind: event.kind });
  sources.engine.events.on('event', countTransition);
  let committed = { batches: 0, commits: 0 };
  new Counter({
    name: 'gennaker_engine_commits_total',
    help: 'Transitions and new executions written by the engine’s group committer',
    registers: [registry],
    collect() {
      const { commits } = sources.engine.stats();
      this.inc(commits - committed.commits);
      committed = { ...committed, commits };
    },
  });
  new Counter({
    name: 'gennaker_engine_commit_batches_total',
    help: 'Store transactions of the group committer (each holds one or more commits)',
    registers: [registry],
    collect() {
      const { batches } = sources.engine.stats();
      this.inc(batches - committed.batches);
      committed = { ...committed, batches };
    },
  });
  new Gauge({
    name: 'gennaker_engine_messages_held',
    help: 'Queue messages this process holds the lease of',
    registers: [registry],
    collect() {
      this.set(sources.engine.stats().held);
    },
  });
  new Gauge({
    name: 'gennaker_inventory_server_groups',
    help: 'Server groups in the inventory',
    registers: [registry],
    collect() {
      this.set(sources.inventory.serverGroups().length);
    },
  });
  new Gauge({
    name: 'gennaker_inventory_load_balancers',
    help: 'Load balancers in the inventory',
    registers: [registry],
    collect() {
      this.set(sources.inventory.loadBalancers().length);
    },
  });
  new Gauge({
    name: 'gennaker_live_event_streams',
    help: 'Open /api/events streams',
    registers: [registry],
    collect() {
      this.set(sources.liveStreams());
    },
  });
  const requestDuration = new Histogram({
    name: 'gennaker_http_request_duration_seconds',
    help: 'HTTP request duration by method, route template and status',
    labelNames: ['method', 'route', 'status'],
    buckets: httpBuckets,
    registers: [registry],
  });

  return {
    registry,
    observeRequest: (method, route, status, seconds) => requestDuration.observe({ method, route, status: String(status) }, seconds),
    close: () => sources.engine.events.off('event', countTransition),
  };
}
