/**
 * Gennaker's own expression tree. The parser's generic nodes are checked and narrowed into this
 * closed union once, at parse time, so the interpreter handles a small fixed set of forms (and the
 * compiler checks that it handles all of them) and anything unsupported is a syntax error at save time.
 */
export type ExpressionNode =
  | { readonly kind: 'literal'; readonly value: string | number | boolean | null }
  | { readonly kind: 'variable'; readonly name: string }
  | { readonly kind: 'member'; readonly object: ExpressionNode; readonly property: MemberKey; readonly optional: boolean }
  | { readonly kind: 'call'; readonly name: string; readonly args: readonly ExpressionNode[] }
  | {
      readonly kind: 'method';
      readonly object: ExpressionNode;
      readonly name: string;
      readonly args: readonly ExpressionNode[];
      readonly optional: boolean;
    }
  | { readonly kind: 'unary'; readonly operator: UnaryOperator; readonly operand: ExpressionNode }
  | { readonly kind: 'binary'; readonly operator: BinaryOperator; readonly left: ExpressionNode; readonly right: ExpressionNode }
  | { readonly kind: 'logical'; readonly operator: LogicalOperator; readonly left: ExpressionNode; readonly right: ExpressionNode }
  | {
      readonly kind: 'conditional';
      readonly test: ExpressionNode;
      readonly consequent: ExpressionNode;
      readonly alternate: ExpressionNode;
    }
  | { readonly kind: 'list'; readonly items: readonly ExpressionNode[] }
  | { readonly kind: 'map'; readonly entries: readonly { readonly key: string; readonly value: ExpressionNode }[] };

/** `a.b` names its property; `a[expr]` computes it. */
export type MemberKey = { readonly kind: 'name'; readonly name: string } | { readonly kind: 'computed'; readonly key: ExpressionNode };

export type UnaryOperator = '!' | '-' | '+';
export type BinaryOperator = '==' | '!=' | '<' | '<=' | '>' | '>=' | '+' | '-' | '*' | '/' | '%';
/**
 * `??`: the right side when the left is null or missing. `?:` (SpEL's Elvis) also when it is the empty
 * string, as in SpEL, where unset pipeline parameters are empty strings.
 */
export type LogicalOperator = '&&' | '||' | '??' | '?:';
