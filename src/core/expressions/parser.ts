import jsep from 'jsep';
import type { BinaryOperator, ExpressionNode, LogicalOperator, MemberKey, UnaryOperator } from './ast.js';
import { translateSpel } from './spel-source.js';

export type ParseResult =
  | { readonly ok: true; readonly node: ExpressionNode }
  | { readonly ok: false; readonly reason: string };

/** Names no expression may read, call or define: the doors from data into the JavaScript runtime. */
export const forbiddenNames: ReadonlySet<string> = new Set(['__proto__', 'prototype', 'constructor']);

const binaryOperators: Readonly<Record<string, BinaryOperator | LogicalOperator>> = {
  '==': '==', '!=': '!=', '<': '<', '<=': '<=', '>': '>', '>=': '>=',
  '+': '+', '-': '-', '*': '*', '/': '/', '%': '%',
  '&&': '&&', '||': '||', '??': '??', '?:': '?:',
  and: '&&', or: '||', eq: '==', ne: '!=', lt: '<', le: '<=', gt: '>', ge: '>=', div: '/', mod: '%',
};
const unaryOperators: Readonly<Record<string, UnaryOperator>> = { '!': '!', not: '!', '-': '-', '+': '+' };
const logicalOperators: ReadonlySet<string> = new Set(['&&', '||', '??', '?:']);

const MAP_LITERAL = 'GennakerMapLiteral';
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;
const COLON = 58;
const COMMA = 44;

/**
 * jsep keeps its operator table and hooks in module state, so they are set once here; nothing else in
 * Gennaker uses jsep. Added: SpEL's word operators, the Elvis operator `?:` (ranked with `??`, below
 * `||`, as in SpEL), and `{ }` literals. Operators we do not support (bitwise, `===`, `**`) stay known
 * to the parser so that using one gives "operator … is not supported" rather than a confusing parse error.
 */
function configureParser(): void {
  jsep.addBinaryOp('??', 0.95);
  jsep.addBinaryOp('?:', 0.95);
  jsep.addBinaryOp('or', 1);
  jsep.addBinaryOp('and', 2);
  for (const word of ['eq', 'ne']) jsep.addBinaryOp(word, 6);
  for (const word of ['lt', 'le', 'gt', 'ge']) jsep.addBinaryOp(word, 7);
  for (const word of ['div', 'mod']) jsep.addBinaryOp(word, 10);
  jsep.addUnaryOp('not');
  jsep.hooks.add('gobble-token', gobbleBraceLiteral);
}
configureParser();

/**
 * SpEL's inline literals: `{k: v, 'other-key': w}` is a map, `{a, b}` a list (as `[a, b]`), `{}` and
 * `{:}` the empty map.
 */
function gobbleBraceLiteral(this: jsep.HookScope, env: { node?: jsep.Expression }): void {
  if (at(this) !== OPEN_BRACE) return;
  this.index++;
  this.gobbleSpaces();
  if (at(this) === COLON && this.expr.charCodeAt(this.index + 1) === CLOSE_BRACE) this.index++;
  if (at(this) === CLOSE_BRACE) {
    this.index++;
    env.node = this.gobbleTokenProperty({ type: MAP_LITERAL, entries: [] });
    return;
  }
  const items: jsep.Expression[] = [];
  const entries: { key: jsep.Expression; value: jsep.Expression }[] = [];
  for (;;) {
    this.gobbleSpaces();
    const first = this.gobbleExpression();
    if (!first) this.throwError('Expected an item or a key');
    this.gobbleSpaces();
    if (at(this) === COLON) {
      if (items.length > 0) this.throwError('Unexpected ":" in a list');
      this.index++;
      const value = this.gobbleExpression();
      if (!value) this.throwError('Expected a value after ":"');
      entries.push({ key: first, value });
    } else {
      if (entries.length > 0) this.throwError('Expected ":" after a map key');
      items.push(first);
    }
    this.gobbleSpaces();
    if (at(this) === COMMA) {
      this.index++;
    } else if (at(this) === CLOSE_BRACE) {
      this.index++;
      break;
    } else {
      this.throwError('Expected "," or "}"');
    }
  }
  const node: jsep.Expression =
    entries.length > 0 ? { type: MAP_LITERAL, entries } : { type: 'ArrayExpression', elements: items };
  env.node = this.gobbleTokenProperty(node);
}

/** The character code under the cursor, read afresh (the scope's getter changes as the cursor moves). */
function at(scope: jsep.HookScope): number {
  return scope.code;
}

class UnsupportedSyntax extends Error {}

/**
 * Parses one expression (SpEL spellings allowed) into the closed tree the interpreter runs. `maxDepth`
 * bounds the tree's nesting, which also bounds recursion in everything that walks it.
 */
export function parseExpression(source: string, maxDepth: number): ParseResult {
  if (source.trim() === '') return { ok: false, reason: 'the expression is empty' };
  const translated = translateSpel(source);
  let parsed: jsep.Expression;
  try {
    parsed = jsep(translated.text);
  } catch (error) {
    if (error instanceof RangeError) return { ok: false, reason: 'the expression nests too deeply to parse' };
    const { index, description } = error as { index?: unknown; description?: unknown };
    if (typeof index !== 'number' || typeof description !== 'string') throw error;
    const column = (translated.origin[Math.min(index, translated.origin.length - 1)] ?? 0) + 1;
    return { ok: false, reason: `parse error at column ${column}: ${description}` };
  }
  try {
    return { ok: true, node: new Converter(maxDepth).convert(parsed) };
  } catch (error) {
    if (error instanceof UnsupportedSyntax) return { ok: false, reason: error.message };
    if (error instanceof RangeError) return { ok: false, reason: 'the expression nests too deeply to parse' };
    throw error;
  }
}

function unsupported(reason: string): never {
  throw new UnsupportedSyntax(reason);
}

function checkName(name: string): string {
  if (forbiddenNames.has(name)) unsupported(`\`${name}\` is not accessible in expressions`);
  return name;
}

class Converter {
  private depth = 0;

  constructor(private readonly maxDepth: number) {}

  convert(node: jsep.Expression): ExpressionNode {
    if (++this.depth > this.maxDepth) unsupported(`the expression nests more than ${this.maxDepth} levels deep`);
    try {
      return this.convertNode(node);
    } finally {
      this.depth--;
    }
  }

  private convertNode(node: jsep.Expression): ExpressionNode {
    switch (node.type) {
      case 'Literal':
        return this.convertLiteral(node as jsep.Literal);
      case 'Identifier':
        return { kind: 'variable', name: checkName((node as jsep.Identifier).name) };
      case 'MemberExpression': {
        const member = node as jsep.MemberExpression;
        return { kind: 'member', object: this.convert(member.object), property: this.convertKey(member), optional: member.optional === true };
      }
      case 'CallExpression':
        return this.convertCall(node as jsep.CallExpression);
      case 'UnaryExpression': {
        const unary = node as jsep.UnaryExpression;
        const operator = unaryOperators[unary.operator];
        if (!operator) unsupported(`the operator \`${unary.operator}\` is not supported`);
        return { kind: 'unary', operator, operand: this.convert(unary.argument) };
      }
      case 'BinaryExpression':
        return this.convertBinary(node as jsep.BinaryExpression);
      case 'ConditionalExpression': {
        const conditional = node as jsep.ConditionalExpression;
        return {
          kind: 'conditional',
          test: this.convert(conditional.test),
          consequent: this.convert(conditional.consequent),
          alternate: this.convert(conditional.alternate),
        };
      }
      case 'ArrayExpression':
        return {
          kind: 'list',
          items: (node as jsep.ArrayExpression).elements.map((item) => (item ? this.convert(item) : unsupported('a list has an empty item'))),
        };
      case MAP_LITERAL:
        return this.convertMap(node['entries'] as { key: jsep.Expression; value: jsep.Expression }[]);
      case 'ThisExpression':
        return unsupported('`this` is not supported');
      case 'Compound':
      case 'SequenceExpression':
        return unsupported('expected one expression, found several (separated by `;`, `,` or a space)');
      default:
        return unsupported(`\`${node.type}\` syntax is not supported`);
    }
  }

  private convertLiteral(literal: jsep.Literal): ExpressionNode {
    const value = literal.value;
    if (typeof value === 'number' && !Number.isFinite(value)) unsupported(`the number ${literal.raw} is out of range`);
    if (value instanceof RegExp) unsupported('regular expressions are not supported');
    return { kind: 'literal', value };
  }

  private convertKey(member: jsep.MemberExpression): MemberKey {
    if (!member.computed) return { kind: 'name', name: checkName((member.property as jsep.Identifier).name) };
    const key = this.convert(member.property);
    if (key.kind === 'literal' && typeof key.value === 'string') checkName(key.value);
    return { kind: 'computed', key };
  }

  private convertCall(call: jsep.CallExpression): ExpressionNode {
    if (call['optional'] === true) unsupported('`?.(` calls are not supported');
    const args = call.arguments.map((arg) => this.convert(arg));
    const callee = call.callee;
    if (callee.type === 'Identifier') return { kind: 'call', name: checkName((callee as jsep.Identifier).name), args };
    if (callee.type === 'MemberExpression' && !(callee as jsep.MemberExpression).computed) {
      const member = callee as jsep.MemberExpression;
      return {
        kind: 'method',
        object: this.convert(member.object),
        name: checkName((member.property as jsep.Identifier).name),
        args,
        optional: member.optional === true,
      };
    }
    return unsupported('only named functions (`#name(…)`) and methods (`value.name(…)`) can be called');
  }

  private convertBinary(binary: jsep.BinaryExpression): ExpressionNode {
    const operator = binaryOperators[binary.operator];
    if (!operator) unsupported(`the operator \`${binary.operator}\` is not supported`);
    const left = this.convert(binary.left);
    const right = this.convert(binary.right);
    return logicalOperators.has(operator)
      ? { kind: 'logical', operator: operator as LogicalOperator, left, right }
      : { kind: 'binary', operator: operator as BinaryOperator, left, right };
  }

  private convertMap(entries: readonly { key: jsep.Expression; value: jsep.Expression }[]): ExpressionNode {
    const seen = new Set<string>();
    return {
      kind: 'map',
      entries: entries.map(({ key, value }) => {
        const name = mapKey(key);
        if (seen.has(name)) unsupported(`the map key \`${name}\` appears twice`);
        seen.add(name);
        return { key: name, value: this.convert(value) };
      }),
    };
  }
}

function mapKey(key: jsep.Expression): string {
  if (key.type === 'Identifier') return checkName((key as jsep.Identifier).name);
  if (key.type === 'Literal') {
    const value = (key as jsep.Literal).value;
    if (typeof value === 'string') return checkName(value);
    if (typeof value === 'number') return String(value);
  }
  return unsupported('map keys must be names, strings or numbers');
}
