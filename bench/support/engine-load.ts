import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { isComplete, type EngineEvent, type ExecutionBlueprint } from '../../src/core/execution/index.js';
import type { Engine } from '../../src/engine/engine.js';

/**
 * The benchmark's pipeline: four `noop` stages in a diamond (1 → 2, 3 → 4), run ad hoc as
 * `gennaker run FILE` does (no saved pipeline, so no concurrency limits apply).
 */
export function noopDiamond(): ExecutionBlueprint {
  const stage = (refId: string, requisiteStageRefIds: string[]) => ({
    refId,
    type: 'noop',
    name: `noop ${refId}`,
    requisiteStageRefIds,
    onFailure: 'haltPipeline' as const,
    context: {},
  });
  return {
    id: randomUUID(),
    type: 'PIPELINE',
    application: 'bench',
    name: 'noop diamond',
    trigger: { type: 'manual', user: 'bench', parameters: {} },
    stages: [stage('1', []), stage('2', ['1']), stage('3', ['1']), stage('4', ['2', '3'])],
  };
}

/**
 * What the bench watches inside a time window: the engine's published events (each one a committed
 * status change), the messages whose handling began, and, when asked, each message's dispatch delay
 * (ms from its deliverAt to its handler's start).
 */
export class Meter {
  #counting = false;
  #recordingDelays = false;
  #transitions = 0;
  #executions = 0;
  #messages = 0;
  #delays: number[] = [];
  #startedAt = 0;

  readonly onEvent = (event: EngineEvent): void => {
    if (!this.#counting) return;
    this.#transitions += 1;
    if (event.kind === 'execution' && isComplete(event.status)) this.#executions += 1;
  };

  readonly onDispatch = (delayMs: number): void => {
    if (!this.#counting) return;
    this.#messages += 1;
    if (this.#recordingDelays) this.#delays.push(delayMs);
  };

  start(recordDelays: boolean): void {
    this.#transitions = 0;
    this.#executions = 0;
    this.#messages = 0;
    this.#delays = [];
    this.#recordingDelays = recordDelays;
    this.#counting = true;
    this.#startedAt = performance.now();
  }

  stop(): { transitionsPerSec: number; executionsPerSec: number; messagesPerSec: number; delaysMs: number[] } {
    this.#counting = false;
    const seconds = (performance.now() - this.#startedAt) / 1000;
    return {
      transitionsPerSec: this.#transitions / seconds,
      executionsPerSec: this.#executions / seconds,
      messagesPerSec: this.#messages / seconds,
      delaysMs: this.#delays,
    };
  }
}

/** Executions this driver started and has not yet seen complete. */
class InFlight {
  readonly #ids = new Set<string>();
  #drained: (() => void) | undefined;

  constructor(private readonly engine: Engine) {
    engine.events.on('event', this.#listener);
  }

  readonly #listener = (event: EngineEvent): void => {
    if (event.kind !== 'execution' || !isComplete(event.status) || !this.#ids.delete(event.executionId)) return;
    this.onComplete?.();
    if (this.#ids.size === 0) this.#drained?.();
  };

  onComplete: (() => void) | undefined;

  get size(): number {
    return this.#ids.size;
  }

  start(blueprint: ExecutionBlueprint): void {
    this.#ids.add(blueprint.id);
    this.engine.run(blueprint).catch((error: unknown) => {
      this.#ids.delete(blueprint.id);
      console.error('starting an execution failed', error);
    });
  }

  /** Waits until every started execution has completed, then stops listening. */
  async drain(timeoutMs: number): Promise<void> {
    this.onComplete = undefined;
    if (this.#ids.size > 0) {
      const drained = new Promise<void>((resolve) => (this.#drained = resolve));
      const timedOut = sleep(timeoutMs, undefined, { ref: false }).then(() => {
        throw new Error(`${this.#ids.size} executions still running ${timeoutMs} ms after the load stopped`);
      });
      await Promise.race([drained, timedOut]);
    }
    this.engine.events.off('event', this.#listener);
  }
}

export interface Window {
  readonly warmupMs: number;
  readonly measureMs: number;
}

/**
 * Closed loop: keeps `concurrency` executions in flight (a new one starts as each completes) and
 * measures after a warm-up.
 */
export async function maxThroughput(
  engine: Engine,
  meter: Meter,
  concurrency: number,
  window: Window,
): Promise<{ transitionsPerSec: number; executionsPerSec: number; messagesPerSec: number }> {
  const inFlight = new InFlight(engine);
  inFlight.onComplete = () => inFlight.start(noopDiamond());
  for (let i = 0; i < concurrency; i++) inFlight.start(noopDiamond());
  await sleep(window.warmupMs);
  meter.start(false);
  await sleep(window.measureMs);
  const measured = meter.stop();
  await inFlight.drain(30_000);
  return measured;
}

/**
 * Open loop: starts executions at a fixed rate, whatever the engine's progress, and records every
 * message's dispatch delay after a warm-up. Also reports the transitions per second achieved, which
 * shows whether the engine kept up with the offered load.
 */
export async function pacedLoad(
  engine: Engine,
  meter: Meter,
  executionsPerSec: number,
  window: Window,
): Promise<{ delaysMs: number[]; transitionsPerSec: number }> {
  const inFlight = new InFlight(engine);
  const tickMs = 5;
  const started = performance.now();
  let launched = 0;
  const pacer = setInterval(() => {
    const due = Math.floor(((performance.now() - started) / 1000) * executionsPerSec);
    for (; launched < due; launched++) inFlight.start(noopDiamond());
  }, tickMs);
  await sleep(window.warmupMs);
  meter.start(true);
  await sleep(window.measureMs);
  const measured = meter.stop();
  clearInterval(pacer);
  await inFlight.drain(30_000);
  return measured;
}
