/** Expression text rewritten for the parser, with where each of its characters came from. */
export interface TranslatedSource {
  readonly text: string;
  /** `origin[i]` is the index in the original source of `text[i]`; one extra entry maps the end. */
  readonly origin: readonly number[];
}

const identifierStart = /[A-Za-z_$]/;

/**
 * Rewrites the SpEL spellings the parser does not know into ones it does, outside string literals
 * only: the `#` before a function or variable name (`#stage('x')` → `stage('x')`) is dropped, and a
 * quote doubled inside a string (`'it''s'`) becomes an escaped one (`'it\'s'`). Keeping `origin`
 * lets a parse error point at the column the user wrote.
 */
export function translateSpel(source: string): TranslatedSource {
  let text = '';
  const origin: number[] = [];
  const emit = (chars: string, from: number): void => {
    text += chars;
    for (let k = 0; k < chars.length; k++) origin.push(from + k);
  };
  let quote: string | undefined;
  for (let index = 0; index < source.length; index++) {
    const char = source[index]!;
    const next = source[index + 1];
    if (quote === undefined) {
      if (char === '#' && next !== undefined && identifierStart.test(next)) continue;
      if (char === "'" || char === '"') quote = char;
      emit(char, index);
    } else if (char === '\\' && next !== undefined) {
      emit(char + next, index);
      index++;
    } else if (char === quote && next === quote) {
      emit(`\\${quote}`, index);
      index++;
    } else {
      if (char === quote) quote = undefined;
      emit(char, index);
    }
  }
  origin.push(source.length);
  return { text, origin };
}
