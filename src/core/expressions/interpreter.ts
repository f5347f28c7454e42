import type { BinaryOperator, ExpressionNode, LogicalOperator, MemberKey, UnaryOperator } from './ast.js';
import { ExpressionError } from './failure.js';
import { formatNode } from './format.js';
import type { ExpressionLimits } from './limits.js';
import { callMethod } from './methods.js';
import type { ExpressionFunction, ExpressionScope } from './scope.js';
import { standardFunctions, toBoolean } from './standard-functions.js';
import { admit, dataEqual, defineKey, describeValue, listNames, readMember, textOf } from './values.js';

/** How much text (read or written by a function, a method or `+`) costs one step. */
const charactersPerStep = 1000;

/**
 * A tree-walking interpreter over the closed node set of ast.ts. Every failure is an ExpressionError
 * thrown to the caller (evaluate.ts), which turns it into data. Each visited node costs one step of
 * the budget, and the parser has capped the tree's depth, so any expression ends quickly whatever it says.
 */
export function interpret(node: ExpressionNode, scope: ExpressionScope, limits: ExpressionLimits): unknown {
  return new Interpreter(scope, limits).evaluate(node);
}

class Interpreter {
  private steps = 0;

  constructor(
    private readonly scope: ExpressionScope,
    private readonly limits: ExpressionLimits,
  ) {}

  evaluate(node: ExpressionNode): unknown {
    this.spend(1);
    return this.evaluateNode(node);
  }

  private spend(steps: number): void {
    this.steps += steps;
    if (this.steps > this.limits.maxSteps) {
      throw new ExpressionError(`the expression needs more than ${this.limits.maxSteps} steps (the step budget)`);
    }
  }

  /**
   * Functions, methods and `+` do work in proportion to the text they read and write, so that text
   * costs steps too; otherwise a short expression could call `#toJson` on a large value thousands of times.
   */
  private spendOnText(values: readonly unknown[]): void {
    for (const value of values) {
      if (typeof value === 'string') this.spend(Math.floor(value.length / charactersPerStep));
    }
  }

  private evaluateNode(node: ExpressionNode): unknown {
    switch (node.kind) {
      case 'literal':
        return node.value;
      case 'variable':
        return this.variable(node.name);
      case 'member':
        return this.member(node.object, node.property, node.optional);
      case 'call':
        return node.name === 'default' ? this.fallback(node.args) : this.call(node.name, node.args);
      case 'method':
        return this.method(node);
      case 'unary':
        return this.unary(node.operator, this.evaluate(node.operand));
      case 'binary':
        return this.binary(node.operator, this.evaluate(node.left), this.evaluate(node.right));
      case 'logical':
        return this.logical(node.operator, node.left, node.right);
      case 'conditional':
        return this.condition(this.evaluate(node.test), 'the condition of `? :`')
          ? this.evaluate(node.consequent)
          : this.evaluate(node.alternate);
      case 'list':
        return node.items.map((item) => this.evaluate(item));
      case 'map': {
        const map: Record<string, unknown> = {};
        for (const entry of node.entries) defineKey(map, entry.key, this.evaluate(entry.value));
        return map;
      }
      default: {
        const unhandled: never = node;
        return unhandled;
      }
    }
  }

  private variable(name: string): unknown {
    const variables = this.scope.variables;
    if (!Object.hasOwn(variables, name)) {
      const known = Object.keys(variables);
      const hint = known.length === 0 ? '(no variables are defined here)' : listNames(known);
      const functionHint = this.findFunction(name) ? `; to call the function, write \`#${name}(…)\`` : '';
      throw new ExpressionError(`unknown variable \`${name}\` ${hint}${functionHint}`);
    }
    return admit(variables[name], () => `variable \`${name}\``);
  }

  private member(objectNode: ExpressionNode, property: MemberKey, optional: boolean): unknown {
    const object = this.evaluate(objectNode);
    if (optional && object === null) return null;
    const key = property.kind === 'name' ? property.name : this.evaluate(property.key);
    try {
      return readMember(object, key, () => formatNode(objectNode));
    } catch (error) {
      if (optional && error instanceof ExpressionError && error.missing) return null;
      throw error;
    }
  }

  private method(node: Extract<ExpressionNode, { kind: 'method' }>): unknown {
    const receiver = this.evaluate(node.object);
    if (node.optional && receiver === null) return null;
    const args = node.args.map((arg) => this.evaluate(arg));
    this.spendOnText([receiver, ...args]);
    const result = callMethod(receiver, node.name, args, () => formatNode(node.object));
    this.spendOnText([result]);
    return this.checkString(result, () => `\`.${node.name}()\``);
  }

  private findFunction(name: string): ExpressionFunction | undefined {
    const extra = this.scope.functions;
    if (extra && Object.hasOwn(extra, name)) return extra[name];
    return Object.hasOwn(standardFunctions, name) ? standardFunctions[name] : undefined;
  }

  private call(name: string, argNodes: readonly ExpressionNode[]): unknown {
    const fn = this.findFunction(name);
    if (typeof fn !== 'function') {
      const known = [...Object.keys(this.scope.functions ?? {}), ...Object.keys(standardFunctions), 'default'].sort();
      throw new ExpressionError(`function \`#${name}\` is unknown (functions: ${known.map((known) => `#${known}`).join(', ')})`);
    }
    const args = argNodes.map((arg) => this.evaluate(arg));
    this.spendOnText(args);
    let result: unknown;
    try {
      result = fn(...args);
    } catch (error) {
      if (error instanceof ExpressionError) throw new ExpressionError(`\`#${name}\` ${error.message}`, { missing: error.missing });
      throw new ExpressionError(`\`#${name}\` failed: ${error instanceof Error ? error.message : String(error)}`);
    }
    this.spendOnText([result]);
    return this.checkString(admit(result, () => `the result of \`#${name}\``), () => `the result of \`#${name}\``);
  }

  /** `default(x, fallback)`: `fallback` when `x` is null or missing; any other failure of `x` stands. */
  private fallback(argNodes: readonly ExpressionNode[]): unknown {
    const [value, fallback] = argNodes;
    if (argNodes.length !== 2 || !value || !fallback) {
      throw new ExpressionError(`\`#default\` takes (value, fallback), got ${argNodes.length} argument${argNodes.length === 1 ? '' : 's'}`);
    }
    return this.valueOr(value, fallback, false);
  }

  private valueOr(value: ExpressionNode, fallback: ExpressionNode, emptyIsMissing: boolean): unknown {
    try {
      const result = this.evaluate(value);
      if (result !== null && !(emptyIsMissing && result === '')) return result;
    } catch (error) {
      if (!(error instanceof ExpressionError) || !error.missing) throw error;
    }
    return this.evaluate(fallback);
  }

  private logical(operator: LogicalOperator, left: ExpressionNode, right: ExpressionNode): unknown {
    switch (operator) {
      case '&&':
        return this.condition(this.evaluate(left), 'the left side of `&&`') && this.condition(this.evaluate(right), 'the right side of `&&`');
      case '||':
        return this.condition(this.evaluate(left), 'the left side of `||`') || this.condition(this.evaluate(right), 'the right side of `||`');
      case '??':
        return this.valueOr(left, right, false);
      case '?:':
        return this.valueOr(left, right, true);
      default: {
        const unhandled: never = operator;
        return unhandled;
      }
    }
  }

  /** Booleans, and the strings `true`/`false` because pipeline parameters are always strings. */
  private condition(value: unknown, what: string): boolean {
    try {
      return toBoolean(value);
    } catch {
      throw new ExpressionError(`${what} must be true or false, but is ${describeValue(value)}`);
    }
  }

  private unary(operator: UnaryOperator, value: unknown): unknown {
    switch (operator) {
      case '!':
        return !this.condition(value, 'the operand of `!`');
      case '-':
        return -this.number(value, 'the operand of unary `-`');
      case '+':
        return this.number(value, 'the operand of unary `+`');
      default: {
        const unhandled: never = operator;
        return unhandled;
      }
    }
  }

  private binary(operator: BinaryOperator, left: unknown, right: unknown): unknown {
    switch (operator) {
      case '==':
        return dataEqual(left, right);
      case '!=':
        return !dataEqual(left, right);
      case '<':
      case '<=':
      case '>':
      case '>=':
        return compare(operator, left, right);
      case '+':
        if (typeof left === 'number' && typeof right === 'number') return finite(left + right, operator);
        if (typeof left === 'string' || typeof right === 'string') {
          const joined = this.checkString(textOf(left) + textOf(right), () => 'the result of `+`');
          this.spendOnText([joined]);
          return joined;
        }
        throw new ExpressionError(`\`+\` adds numbers or joins text, but got ${describeValue(left)} and ${describeValue(right)}`);
      case '-':
      case '*':
      case '/':
      case '%':
        return arithmetic(operator, this.number(left, `the left side of \`${operator}\``), this.number(right, `the right side of \`${operator}\``));
      default: {
        const unhandled: never = operator;
        return unhandled;
      }
    }
  }

  private number(value: unknown, what: string): number {
    if (typeof value !== 'number') throw new ExpressionError(`${what} must be a number, but is ${describeValue(value)}`);
    return value;
  }

  private checkString(value: unknown, what: () => string): unknown {
    if (typeof value === 'string' && value.length > this.limits.maxStringLength) {
      throw new ExpressionError(
        `${what()} is ${value.length} characters long, more than the limit of ${this.limits.maxStringLength}`,
      );
    }
    return value;
  }
}

function compare(operator: '<' | '<=' | '>' | '>=', left: unknown, right: unknown): boolean {
  const comparable =
    (typeof left === 'number' && typeof right === 'number') || (typeof left === 'string' && typeof right === 'string');
  if (!comparable) {
    throw new ExpressionError(
      `\`${operator}\` compares two numbers or two strings, but got ${describeValue(left)} and ${describeValue(right)}`,
    );
  }
  const [a, b] = [left as number | string, right as number | string];
  switch (operator) {
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    case '>=':
      return a >= b;
    default: {
      const unhandled: never = operator;
      return unhandled;
    }
  }
}

function arithmetic(operator: '-' | '*' | '/' | '%', left: number, right: number): number {
  if ((operator === '/' || operator === '%') && right === 0) throw new ExpressionError(`division by zero in \`${operator}\``);
  switch (operator) {
    case '-':
      return finite(left - right, operator);
    case '*':
      return finite(left * right, operator);
    case '/':
      return finite(left / right, operator);
    case '%':
      return finite(left % right, operator);
    default: {
      const unhandled: never = operator;
      return unhandled;
    }
  }
}

function finite(value: number, operator: string): number {
  if (!Number.isFinite(value)) throw new ExpressionError(`the result of \`${operator}\` is too large to represent`);
  return value;
}
