import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';

/**
 * The dependency rule of ARCHITECTURE.md, as data. A module is a folder directly under src/. Each may
 * import the modules it lists (and itself); `packages`, when given, is the complete list of npm
 * packages it may use; `pure` modules may use no Node built-in and no ambient I/O, clock or randomness.
 */
export interface ModuleRule {
  readonly mayImport: readonly string[];
  readonly packages?: readonly string[];
  readonly pure?: boolean;
}

export const dependencyRule: Readonly<Record<string, ModuleRule>> = {
  core: { mayImport: [], packages: ['zod', 'jsep', 'yaml'], pure: true },
  config: { mayImport: ['core'], packages: ['zod', 'yaml'] },
  log: { mayImport: ['core', 'config'], packages: ['pino'] },
  store: { mayImport: ['core', 'config', 'log'], packages: ['kysely', 'better-sqlite3', 'pg'] },
  engine: { mayImport: ['core', 'config', 'log', 'store'] },
  stages: { mayImport: ['core', 'config', 'log', 'engine'] },
  providers: { mayImport: ['core', 'config', 'log'] },
  localcloud: { mayImport: ['core', 'config', 'log'] },
  inventory: { mayImport: ['core', 'config', 'log', 'store', 'providers'] },
  api: { mayImport: ['core', 'config', 'log', 'store', 'engine', 'providers', 'inventory'] },
  app: { mayImport: ['core', 'config', 'log', 'store', 'engine', 'stages', 'providers', 'localcloud', 'inventory', 'api'] },
  cli: { mayImport: ['core', 'config', 'log', 'store', 'engine', 'stages', 'providers', 'localcloud', 'inventory', 'api', 'app'] },
};

/** Ambient names that mean I/O, time or chance; a pure module receives these as arguments instead. */
const impureGlobals = new Set([
  'process',
  'console',
  'require',
  'fetch',
  'globalThis',
  'setTimeout',
  'setInterval',
  'setImmediate',
  'queueMicrotask',
  'performance',
]);

export interface Violation {
  readonly file: string;
  readonly line: number;
  readonly message: string;
}

const builtins = new Set(builtinModules);

function isBuiltin(specifier: string): boolean {
  return specifier.startsWith('node:') || builtins.has(specifier.split('/')[0]!);
}

function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

function listTypeScriptFiles(dir: string): string[] {
  const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
  return entries.flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return listTypeScriptFiles(path);
    return /\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

function moduleOf(srcDir: string, file: string): string | undefined {
  const rel = relative(srcDir, file);
  if (rel.startsWith('..')) return undefined;
  return rel.split(sep)[0];
}

interface Reference {
  readonly specifier: string;
  readonly node: ts.Node;
}

function importReferences(source: ts.SourceFile): Reference[] {
  const found: Reference[] = [];
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier) {
      if (ts.isStringLiteral(node.moduleSpecifier)) found.push({ specifier: node.moduleSpecifier.text, node });
    } else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] &&
      ts.isStringLiteralLike(node.arguments[0])
    ) {
      found.push({ specifier: node.arguments[0].text, node });
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      const expression = node.moduleReference.expression;
      if (ts.isStringLiteral(expression)) found.push({ specifier: expression.text, node });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** Ambient impurity: free uses of the names above, `Date.now()`, `new Date()` with no argument, `Math.random()`. */
function impureUses(source: ts.SourceFile): { node: ts.Node; what: string }[] {
  const found: { node: ts.Node; what: string }[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node) && impureGlobals.has(node.text)) {
      const parent = node.parent;
      const isPropertyName =
        (ts.isPropertyAccessExpression(parent) && parent.name === node) ||
        ts.isPropertyAssignment(parent) ||
        ts.isPropertySignature(parent) ||
        ts.isPropertyDeclaration(parent) ||
        ts.isMethodDeclaration(parent) ||
        ts.isMethodSignature(parent) ||
        ts.isParameter(parent) ||
        ts.isVariableDeclaration(parent);
      if (!isPropertyName) found.push({ node, what: node.text });
    }
    if (ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.expression)) {
      const name = `${node.expression.text}.${node.name.text}`;
      if (name === 'Date.now' || name === 'Math.random') found.push({ node, what: name });
    }
    if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'Date') {
      if (!node.arguments || node.arguments.length === 0) found.push({ node, what: 'new Date()' });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** Checks every TypeScript file under `root`/src against the rule and returns what breaks it. */
export function checkDependencyRule(root: string, rule: Readonly<Record<string, ModuleRule>> = dependencyRule): Violation[] {
  const srcDir = resolve(root, 'src');
  const violations: Violation[] = [];
  for (const file of listTypeScriptFiles(srcDir)) {
    const module = moduleOf(srcDir, file)!;
    const shown = relative(root, file);
    const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
    const lineOf = (node: ts.Node): number => source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
    const moduleRule = rule[module];
    if (!moduleRule) {
      violations.push({ file: shown, line: 1, message: `module '${module}' is not in the dependency rule; add it to scripts/dependency-rule.ts and ARCHITECTURE.md` });
      continue;
    }
    const allowed = new Set([module, ...moduleRule.mayImport]);
    for (const { specifier, node } of importReferences(source)) {
      if (specifier.startsWith('.')) {
        const target = moduleOf(srcDir, resolve(dirname(file), specifier));
        if (target === undefined) {
          violations.push({ file: shown, line: lineOf(node), message: `imports '${specifier}' from outside src/` });
        } else if (!allowed.has(target)) {
          violations.push({
            file: shown,
            line: lineOf(node),
            message: `${module} may not import ${target} ('${specifier}'); ${module} may import: ${moduleRule.mayImport.join(', ') || 'nothing'}`,
          });
        }
      } else if (isBuiltin(specifier)) {
        if (moduleRule.pure) {
          violations.push({ file: shown, line: lineOf(node), message: `${module} is pure and may not import the Node built-in '${specifier}'` });
        }
      } else if (moduleRule.packages && !moduleRule.packages.includes(packageName(specifier))) {
        violations.push({
          file: shown,
          line: lineOf(node),
          message: `${module} may not use the package '${packageName(specifier)}'; allowed: ${moduleRule.packages.join(', ') || 'none'}`,
        });
      }
    }
    if (moduleRule.pure) {
      for (const { node, what } of impureUses(source)) {
        violations.push({ file: shown, line: lineOf(node), message: `${module} is pure and may not use ${what} (pass it in from the shell)` });
      }
    }
  }
  return violations;
}
