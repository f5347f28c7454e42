import { issueAt, jsonPath, type Issue } from './issue.js';

/** A stage as the graph checks see it: where it is in `stages[]`, its refId and what it waits for. */
export interface DagNode {
  readonly index: number;
  readonly refId: string;
  readonly requisiteStageRefIds: readonly string[];
}

function stageAt(node: DagNode): { refId: string; at: ['stages', number] } {
  return { refId: node.refId, at: ['stages', node.index] };
}

/** Strongly connected components (Tarjan); the ones with more than one stage are cycles. */
function stronglyConnected(nodes: readonly DagNode[], successors: (refId: string) => readonly string[]): string[][] {
  const order = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const visit = (refId: string): void => {
    order.set(refId, order.size);
    low.set(refId, order.get(refId)!);
    stack.push(refId);
    onStack.add(refId);
    for (const next of successors(refId)) {
      if (!order.has(next)) {
        visit(next);
        low.set(refId, Math.min(low.get(refId)!, low.get(next)!));
      } else if (onStack.has(next)) {
        low.set(refId, Math.min(low.get(refId)!, order.get(next)!));
      }
    }
    if (low.get(refId) === order.get(refId)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== refId);
      components.push(component);
    }
  };
  for (const node of nodes) if (!order.has(node.refId)) visit(node.refId);
  return components;
}

/** Walks requisites inside one component from its first stage until a stage repeats: that walk is a cycle. */
function cycleWithin(component: ReadonlySet<string>, start: string, successors: (refId: string) => readonly string[]): string[] {
  const walk = [start];
  for (;;) {
    const next = successors(walk[walk.length - 1]!).find((refId) => component.has(refId))!;
    const seen = walk.indexOf(next);
    if (seen >= 0) return [...walk.slice(seen), next];
    walk.push(next);
  }
}

/**
 * Checks the stage graph: unique refIds, requisites that name other stages, no cycles, and at least one
 * initial stage (one with no requisites). Later duplicates of a refId are reported and left out of the graph.
 */
export function dagIssues(nodes: readonly DagNode[]): Issue[] {
  const issues: Issue[] = [];
  const byRefId = new Map<string, DagNode>();
  for (const node of nodes) {
    const first = byRefId.get(node.refId);
    if (first) {
      issues.push(
        issueAt(stageAt(node), ['refId'], 'a refId no other stage uses', `refId ${JSON.stringify(node.refId)} is already used by the stage at ${jsonPath(['stages', first.index])}`),
      );
    } else {
      byRefId.set(node.refId, node);
    }
  }
  const known = [...byRefId.keys()].map((refId) => JSON.stringify(refId)).join(', ');
  for (const node of byRefId.values()) {
    node.requisiteStageRefIds.forEach((requisite, position) => {
      const path = ['requisiteStageRefIds', position];
      if (requisite === node.refId) {
        issues.push(issueAt(stageAt(node), path, 'the refId of another stage', `stage ${JSON.stringify(node.refId)} lists itself as a requisite`));
      } else if (!byRefId.has(requisite)) {
        issues.push(
          issueAt(stageAt(node), path, `the refId of another stage (one of ${known})`, `requisite ${JSON.stringify(requisite)} is not the refId of any stage; expected one of ${known}`),
        );
      }
    });
  }
  const successors = (refId: string): readonly string[] =>
    (byRefId.get(refId)?.requisiteStageRefIds ?? []).filter((requisite) => requisite !== refId && byRefId.has(requisite));
  for (const component of stronglyConnected([...byRefId.values()], successors)) {
    if (component.length < 2) continue;
    const first = [...byRefId.values()].find((node) => component.includes(node.refId))!;
    const cycle = cycleWithin(new Set(component), first.refId, successors);
    issues.push(
      issueAt(
        stageAt(first),
        ['requisiteStageRefIds'],
        'requisiteStageRefIds that form no cycle',
        `stages wait for each other in a cycle: ${cycle.join(' → ')} (each waits for the next)`,
      ),
    );
  }
  if (nodes.length > 0 && nodes.every((node) => node.requisiteStageRefIds.length > 0)) {
    issues.push(
      issueAt({ at: ['stages'] }, [], 'at least one stage with no requisiteStageRefIds', 'no stage can start first: every stage has requisiteStageRefIds'),
    );
  }
  return issues;
}
