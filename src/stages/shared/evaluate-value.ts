import type { Stage, StageFailure } from '../../core/execution/index.js';
import { childPath } from '../../core/expressions/json-path.js';
import { soleExpression, splitTemplate } from '../../core/expressions/template.js';
import { defineKey, isMap, textOf } from '../../core/expressions/values.js';
import type { EngineServices } from '../../engine/stage-contract.js';

export type ValueEvaluation =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly path: string; readonly expression: string; readonly failure: StageFailure };

interface Evaluator {
  readonly stage: Stage;
  readonly services: EngineServices;
  readonly variables?: Readonly<Record<string, unknown>>;
}

/**
 * Evaluates every `${…}` in a value a stage kept back from the engine (a deferred key), with the same
 * rules as the engine's own pass: a string that is one `${…}` takes the expression's value and type,
 * text around expressions makes text, `$${` is a literal `${`. Each expression goes to
 * `services.evaluate` on its own, so the engine's scope, functions and limits apply; the first
 * failure stops the evaluation and is returned with its path and expression.
 */
export async function evaluateValue(value: unknown, path: string, evaluator: Evaluator): Promise<ValueEvaluation> {
  if (typeof value === 'string') return evaluateText(value, path, evaluator);
  if (Array.isArray(value)) {
    const items: unknown[] = [];
    for (const [index, item] of value.entries()) {
      const evaluated = await evaluateValue(item, childPath(path, index), evaluator);
      if (!evaluated.ok) return evaluated;
      items.push(evaluated.value);
    }
    return { ok: true, value: items };
  }
  if (isMap(value)) {
    const copy: Record<string, unknown> = {};
    for (const key of Object.keys(value)) {
      const evaluated = await evaluateValue(value[key], childPath(path, key), evaluator);
      if (!evaluated.ok) return evaluated;
      defineKey(copy, key, evaluated.value);
    }
    return { ok: true, value: copy };
  }
  return { ok: true, value };
}

async function evaluateText(text: string, path: string, { stage, services, variables }: Evaluator): Promise<ValueEvaluation> {
  if (!text.includes('${')) return { ok: true, value: text };
  const split = splitTemplate(text);
  if (!split.ok) return { ok: false, path, expression: split.source, failure: { code: 'GNK_E_EXPRESSION_FAILED', message: split.reason } };
  const evaluate = async (source: string): Promise<ValueEvaluation> => {
    const outcome = await services.evaluate(source, stage, variables);
    return outcome.ok ? outcome : { ok: false, path, expression: source, failure: outcome.failure };
  };
  const sole = soleExpression(split.segments);
  if (sole !== undefined) return evaluate(sole);
  let joined = '';
  for (const segment of split.segments) {
    if (segment.kind === 'text') {
      joined += segment.text;
      continue;
    }
    const evaluated = await evaluate(segment.source);
    if (!evaluated.ok) return evaluated;
    joined += textOf(evaluated.value);
  }
  return { ok: true, value: joined };
}
