import { parseMoniker, type LoadBalancer, type ResourceChange, type ServerGroup } from '../cloud/index.js';
import type { EngineEvent } from '../execution/model.js';

/**
 * What the live event stream publishes: status changes of executions and stages, and inventory changes.
 * Instances travel inside their server group (a health change is a `serverGroup` event). Task changes
 * stay inside the engine: a client sees them as the stage's status and would drown in them otherwise.
 * `application` is what clients filter on and what READ permission is checked against; a load balancer
 * whose name has no application part has none and is shown to administrators only.
 */
/** An engine event of one kind, retagged with `type` as the stream's events are. */
type Retagged<K extends 'execution' | 'stage'> = Omit<Extract<EngineEvent, { kind: K }>, 'kind'> & { readonly type: K };

export type LiveEvent =
  | Retagged<'execution'>
  | Retagged<'stage'>
  | { readonly type: 'serverGroup'; readonly application: string; readonly serverGroup: ServerGroup }
  | { readonly type: 'serverGroupRemoved'; readonly application: string | null; readonly account: string; readonly region: string; readonly name: string }
  | { readonly type: 'loadBalancer'; readonly application: string | null; readonly loadBalancer: LoadBalancer }
  | { readonly type: 'loadBalancerRemoved'; readonly application: string | null; readonly account: string; readonly region: string; readonly name: string };

export type LiveEventType = LiveEvent['type'];

export function liveEventOfEngine(event: EngineEvent): LiveEvent | undefined {
  switch (event.kind) {
    case 'execution':
      return { type: 'execution', application: event.application, executionId: event.executionId, status: event.status, at: event.at };
    case 'stage':
      return {
        type: 'stage',
        application: event.application,
        executionId: event.executionId,
        stageId: event.stageId,
        refId: event.refId,
        status: event.status,
        at: event.at,
      };
    case 'task':
      return undefined;
  }
}

function applicationOfName(name: string): string | null {
  return parseMoniker(name)?.app ?? null;
}

export function liveEventOfResource(change: ResourceChange): LiveEvent {
  switch (change.kind) {
    case 'serverGroupUpserted':
      return { type: 'serverGroup', application: change.serverGroup.application, serverGroup: change.serverGroup };
    case 'serverGroupRemoved':
      return { type: 'serverGroupRemoved', application: applicationOfName(change.name), account: change.account, region: change.region, name: change.name };
    case 'loadBalancerUpserted':
      return { type: 'loadBalancer', application: applicationOfName(change.loadBalancer.name), loadBalancer: change.loadBalancer };
    case 'loadBalancerRemoved':
      return { type: 'loadBalancerRemoved', application: applicationOfName(change.name), account: change.account, region: change.region, name: change.name };
  }
}

/**
 * Parses `?application=a,b`: the applications a client asked for, or undefined for all it may read.
 * Blank entries are ignored, so `a,,b` and `a,b,` mean `a,b`.
 */
export function applicationFilterOf(text: string | undefined): ReadonlySet<string> | undefined {
  if (text === undefined) return undefined;
  return new Set(
    text
      .split(',')
      .map((name) => name.trim())
      .filter((name) => name !== ''),
  );
}

/** Whether an event passes a client's application filter (permission is checked separately). */
export function passesFilter(event: LiveEvent, applications: ReadonlySet<string> | undefined): boolean {
  if (applications === undefined) return true;
  return event.application !== null && applications.has(event.application);
}
