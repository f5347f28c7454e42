import type { ExpressionNode } from './ast.js';

const maxShown = 60;

/** Source-like text for a node, used to name the object a failure is about (`#stage('Deploy').outputs`). */
export function formatNode(node: ExpressionNode): string {
  const text = render(node);
  return text.length > maxShown ? `${text.slice(0, maxShown - 1)}…` : text;
}

function render(node: ExpressionNode): string {
  switch (node.kind) {
    case 'literal':
      return typeof node.value === 'string' ? `'${node.value.replace(/'/g, "''")}'` : String(node.value);
    case 'variable':
      return node.name;
    case 'member': {
      const dot = node.optional ? '?.' : '.';
      if (node.property.kind === 'name') return `${render(node.object)}${dot}${node.property.name}`;
      return `${render(node.object)}${node.optional ? '?.' : ''}[${render(node.property.key)}]`;
    }
    case 'call':
      return `#${node.name}(${node.args.map(render).join(', ')})`;
    case 'method':
      return `${render(node.object)}${node.optional ? '?.' : '.'}${node.name}(${node.args.map(render).join(', ')})`;
    case 'unary':
      return `${node.operator}${render(node.operand)}`;
    case 'binary':
    case 'logical':
      return `(${render(node.left)} ${node.operator} ${render(node.right)})`;
    case 'conditional':
      return `(${render(node.test)} ? ${render(node.consequent)} : ${render(node.alternate)})`;
    case 'list':
      return `[${node.items.map(render).join(', ')}]`;
    case 'map':
      return `{${node.entries.map((entry) => `${entry.key}: ${render(entry.value)}`).join(', ')}}`;
    default: {
      const unhandled: never = node;
      return unhandled;
    }
  }
}
