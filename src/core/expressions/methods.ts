import { ExpressionError } from './failure.js';
import { dataEqual, describeValue, kindOf, textOf, type DataKind } from './values.js';

interface Method {
  readonly params: readonly string[];
  readonly optionalParams?: number;
  readonly run: (receiver: never, args: readonly unknown[]) => unknown;
}

function stringArg(args: readonly unknown[], position: number, method: string): string {
  const value = args[position];
  if (typeof value !== 'string') throw new ExpressionError(`\`${method}\` expects a string as argument ${position + 1}, got ${describeValue(value)}`);
  return value;
}

function wholeNumberArg(args: readonly unknown[], position: number, method: string): number {
  const value = args[position];
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new ExpressionError(`\`${method}\` expects a whole number as argument ${position + 1}, got ${describeValue(value)}`);
  }
  return value;
}

const anyValue: Readonly<Record<string, Method>> = {
  equals: { params: ['other'], run: (receiver: unknown, [other]) => dataEqual(receiver, other) },
  toString: { params: [], run: (receiver: unknown) => textOf(receiver) },
};

const sized: Readonly<Record<string, Method>> = {
  size: { params: [], run: (receiver: string | readonly unknown[]) => receiver.length },
  isEmpty: { params: [], run: (receiver: string | readonly unknown[]) => receiver.length === 0 },
};

const stringMethods: Readonly<Record<string, Method>> = {
  ...anyValue,
  ...sized,
  length: { params: [], run: (receiver: string) => receiver.length },
  contains: { params: ['text'], run: (receiver: string, args) => receiver.includes(stringArg(args, 0, 'contains')) },
  startsWith: { params: ['prefix'], run: (receiver: string, args) => receiver.startsWith(stringArg(args, 0, 'startsWith')) },
  endsWith: { params: ['suffix'], run: (receiver: string, args) => receiver.endsWith(stringArg(args, 0, 'endsWith')) },
  indexOf: { params: ['text'], run: (receiver: string, args) => receiver.indexOf(stringArg(args, 0, 'indexOf')) },
  toLowerCase: { params: [], run: (receiver: string) => receiver.toLowerCase() },
  toUpperCase: { params: [], run: (receiver: string) => receiver.toUpperCase() },
  trim: { params: [], run: (receiver: string) => receiver.trim() },
  equalsIgnoreCase: {
    params: ['other'],
    run: (receiver: string, args) => receiver.toLowerCase() === stringArg(args, 0, 'equalsIgnoreCase').toLowerCase(),
  },
  split: { params: ['separator'], run: (receiver: string, args) => receiver.split(stringArg(args, 0, 'split')) },
  replace: {
    params: ['target', 'replacement'],
    run: (receiver: string, args) => {
      const target = stringArg(args, 0, 'replace');
      if (target === '') throw new ExpressionError('`replace` needs a non-empty text to replace');
      return receiver.split(target).join(stringArg(args, 1, 'replace'));
    },
  },
  substring: {
    params: ['start', 'end'],
    optionalParams: 1,
    run: (receiver: string, args) =>
      receiver.substring(wholeNumberArg(args, 0, 'substring'), args.length > 1 ? wholeNumberArg(args, 1, 'substring') : undefined),
  },
};

const listMethods: Readonly<Record<string, Method>> = {
  ...anyValue,
  ...sized,
  contains: { params: ['item'], run: (receiver: readonly unknown[], [item]) => receiver.some((entry) => dataEqual(entry, item)) },
};

const mapMethods: Readonly<Record<string, Method>> = {
  ...anyValue,
  size: { params: [], run: (receiver: object) => Object.keys(receiver).length },
  isEmpty: { params: [], run: (receiver: object) => Object.keys(receiver).length === 0 },
  containsKey: { params: ['key'], run: (receiver: object, args) => Object.hasOwn(receiver, stringArg(args, 0, 'containsKey')) },
};

const methodsByKind: Readonly<Record<DataKind, Readonly<Record<string, Method>>>> = {
  null: {},
  boolean: anyValue,
  number: anyValue,
  string: stringMethods,
  list: listMethods,
  map: mapMethods,
};

/**
 * The few Java-style methods SpEL pipelines use most (`.equals`, `.contains`, `.toLowerCase()`,
 * `.split(',')`), each implemented here over data. Nothing is looked up on the JavaScript value, so
 * `'x'.constructor` or `[].map` cannot be reached; `split` and `replace` take plain text, not regular
 * expressions (unlike Java), so no pattern can run away.
 */
export function callMethod(receiver: unknown, name: string, args: readonly unknown[], owner: () => string): unknown {
  const kind = kindOf(receiver) ?? 'null';
  const table = methodsByKind[kind];
  const method = Object.hasOwn(table, name) ? table[name] : undefined;
  if (!method) {
    if (kind === 'null') {
      throw new ExpressionError(`cannot call \`${name}()\` on null (\`${owner()}\` is null)`, { missing: true });
    }
    const known = Object.keys(table).sort().join(', ');
    throw new ExpressionError(`\`${owner()}\` is ${describeValue(receiver)}, which has no method \`${name}\` (methods: ${known})`);
  }
  const required = method.params.length - (method.optionalParams ?? 0);
  if (args.length < required || args.length > method.params.length) {
    throw new ExpressionError(`\`${name}\` takes ${signature(method)}, got ${args.length} argument${args.length === 1 ? '' : 's'}`);
  }
  return (method.run as (receiver: unknown, args: readonly unknown[]) => unknown)(receiver, args);
}

function signature(method: Method): string {
  return method.params.length === 0 ? 'no arguments' : `(${method.params.join(', ')})`;
}
