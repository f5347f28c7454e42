import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'web/dist/**', 'data/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': [
        'error',
        { selector: 'ExportDefaultDeclaration', message: 'Use named exports (one name per thing, greppable).' },
      ],
      eqeqeq: ['error', 'always'],
    },
  },
  {
    // Tool configuration files must default-export by the tools' own convention.
    files: ['*.config.js'],
    rules: { 'no-restricted-syntax': 'off' },
  },
);
