import { parseDocument } from 'yaml';
import { GennakerError } from '../errors.js';

export interface TextPosition {
  readonly line: number;
  readonly column: number;
}

/** 1-based line and column of a character offset, as editors show them. */
export function positionAt(text: string, offset: number): TextPosition {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
  const lines = before.split('\n');
  return { line: lines.length, column: lines[lines.length - 1]!.length + 1 };
}

function unreadable(shown: string, reason: string, text: string, offset: number | undefined): GennakerError {
  const position = offset === undefined ? undefined : positionAt(text, offset);
  const where = position ? `${shown}:${position.line}:${position.column}` : shown;
  return new GennakerError('GNK_E_PIPELINE_UNREADABLE', `${where}: ${reason}`, [
    { source: shown, expected: 'a pipeline in JSON or YAML', ...position },
  ]);
}

type Parsed = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly reason: string; readonly offset?: number };

/**
 * V8's messages give an offset for most JSON errors but not for an unexpected token; the YAML parser in
 * JSON mode finds that one. The quoted excerpt V8 appends is dropped: the line and column say where.
 */
function parseJson(text: string): Parsed {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const reason = message
      .replace(/ in JSON at position \d+.*$/s, '')
      .replace(/, (".*"|\.\.\.".*") is not valid JSON$/s, '')
      .replace(/\n/g, '\\n');
    const position = /at position (\d+)/.exec(message)?.[1];
    if (position !== undefined) return { ok: false, reason, offset: Number(position) };
    if (/end of JSON input/.test(message)) return { ok: false, reason, offset: text.length };
    const located = parseDocument(text, { schema: 'json', prettyErrors: false }).errors[0];
    return located ? { ok: false, reason, offset: located.pos[0] } : { ok: false, reason };
  }
}

function parseYaml(text: string): Parsed {
  const document = parseDocument(text, { prettyErrors: false, uniqueKeys: true });
  const first = document.errors[0];
  if (first) return { ok: false, reason: first.message, offset: first.pos[0] };
  try {
    return { ok: true, value: document.toJS({ maxAliasCount: 100 }) as unknown };
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message : String(error) };
  }
}

function formatOf(fileName: string | undefined): 'json' | 'yaml' | 'either' {
  if (fileName === undefined) return 'either';
  if (/\.json$/i.test(fileName)) return 'json';
  if (/\.ya?ml$/i.test(fileName)) return 'yaml';
  return 'either';
}

/**
 * Reads pipeline text: JSON for `.json` files, YAML for `.yaml`/`.yml`, and otherwise JSON if it parses
 * as JSON, else YAML. Failing that, a GNK_E_PIPELINE_UNREADABLE error says where (line and column) and why.
 */
export function parsePipelineText(text: string, fileName?: string): unknown {
  const source = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const shown = fileName ?? '(pipeline text)';
  if (source.trim() === '') throw unreadable(shown, 'the text is empty', source, undefined);
  const valueOf = (parsed: Parsed, language: string): unknown => {
    if (parsed.ok) return parsed.value;
    throw unreadable(shown, `not valid ${language}: ${parsed.reason}`, source, parsed.offset);
  };
  const format = formatOf(fileName);
  if (format === 'json') return valueOf(parseJson(source), 'JSON');
  if (format === 'yaml') return valueOf(parseYaml(source), 'YAML');
  const json = parseJson(source);
  if (json.ok) return json.value;
  const yaml = parseYaml(source);
  if (yaml.ok) return yaml.value;
  return /^\s*[[{]/.test(source) ? valueOf(json, 'JSON') : valueOf(yaml, 'YAML');
}
