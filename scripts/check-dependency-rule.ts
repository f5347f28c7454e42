import { fileURLToPath } from 'node:url';
import { checkDependencyRule } from './dependency-rule.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const violations = checkDependencyRule(root);
for (const violation of violations) console.error(`${violation.file}:${violation.line}: ${violation.message}`);
if (violations.length > 0) {
  console.error(`dependency rule: ${violations.length} violation(s); see ARCHITECTURE.md`);
  process.exit(1);
}
console.log('dependency rule: ok');
