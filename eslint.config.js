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
    // The demo service is plain Node.js with no build step; tell the linter which globals Node provides.
    files: ['examples/**/*.js'],
    languageOptions: {
      globals: { process: 'readonly', console: 'readonly', setTimeout: 'readonly', URL: 'readonly', Buffer: 'readonly' },
    },
  },
  {
    // Tool configuration files must default-export by the tools' own convention.
    files: ['*.config.js'],
    rules: { 'no-restricted-syntax': 'off' },
  },
);
