import type { ExpressionNode } from './ast.js';

/** The names of every function an expression calls, for checking them before it runs. */
export function calledFunctions(node: ExpressionNode): string[] {
  switch (node.kind) {
    case 'literal':
    case 'variable':
      return [];
    case 'member':
      return [...calledFunctions(node.object), ...(node.property.kind === 'computed' ? calledFunctions(node.property.key) : [])];
    case 'call':
      return [node.name, ...node.args.flatMap(calledFunctions)];
    case 'method':
      return [...calledFunctions(node.object), ...node.args.flatMap(calledFunctions)];
    case 'unary':
      return calledFunctions(node.operand);
    case 'binary':
    case 'logical':
      return [...calledFunctions(node.left), ...calledFunctions(node.right)];
    case 'conditional':
      return [node.test, node.consequent, node.alternate].flatMap(calledFunctions);
    case 'list':
      return node.items.flatMap(calledFunctions);
    case 'map':
      return node.entries.flatMap((entry) => calledFunctions(entry.value));
    default: {
      const unhandled: never = node;
      return unhandled;
    }
  }
}
