export type TemplateSegment =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'expression'; readonly source: string };

export type TemplateSplit =
  | { readonly ok: true; readonly segments: readonly TemplateSegment[] }
  | { readonly ok: false; readonly source: string; readonly reason: string };

/**
 * Splits a string into literal text and `${ … }` expressions. The end of an expression is the `}` that
 * closes its opening brace, skipping braces inside quoted strings and nested `{ }` literals, so
 * `${ 'a}b' }` and `${ #toJson({'a': 1}) }` are one expression each. `$${` stands for a literal `${`
 * (as in Terraform), for shell scripts and manifests that use `${VAR}` themselves.
 */
export function splitTemplate(text: string): TemplateSplit {
  const segments: TemplateSegment[] = [];
  let literal = '';
  let index = 0;
  while (index < text.length) {
    const open = text.indexOf('${', index);
    if (open === -1) {
      literal += text.slice(index);
      break;
    }
    if (open > 0 && text[open - 1] === '$') {
      literal += text.slice(index, open - 1) + '${';
      index = open + 2;
      continue;
    }
    literal += text.slice(index, open);
    const close = closingBrace(text, open + 2);
    if (close === undefined) {
      return {
        ok: false,
        source: text.slice(open + 2).trim(),
        reason: `the \`\${\` at column ${open + 1} is never closed by a matching \`}\``,
      };
    }
    if (literal !== '') segments.push({ kind: 'text', text: literal });
    literal = '';
    segments.push({ kind: 'expression', source: text.slice(open + 2, close).trim() });
    index = close + 1;
  }
  if (literal !== '') segments.push({ kind: 'text', text: literal });
  return { ok: true, segments };
}

/** The lone expression of a template such as `  ${ x }  `, whose value keeps its type; otherwise undefined. */
export function soleExpression(segments: readonly TemplateSegment[]): string | undefined {
  const expressions = segments.filter((segment) => segment.kind === 'expression');
  const onlyBlankText = segments.every((segment) => segment.kind === 'expression' || segment.text.trim() === '');
  return expressions.length === 1 && onlyBlankText ? expressions[0]!.source : undefined;
}

/** The expression inside a lone `${ … }`, or the source itself (trimmed) when it is bare. */
export function unwrapExpression(source: string): string {
  const trimmed = source.trim();
  if (!trimmed.startsWith('${')) return trimmed;
  const split = splitTemplate(trimmed);
  return (split.ok ? soleExpression(split.segments) : undefined) ?? trimmed;
}

function closingBrace(text: string, start: number): number | undefined {
  let depth = 0;
  let quote: string | undefined;
  for (let index = start; index < text.length; index++) {
    const char = text[index];
    if (quote !== undefined) {
      if (char === '\\') index++;
      else if (char === quote) quote = undefined;
    } else if (char === "'" || char === '"') {
      quote = char;
    } else if (char === '{') {
      depth++;
    } else if (char === '}') {
      if (depth === 0) return index;
      depth--;
    }
  }
  return undefined;
}
