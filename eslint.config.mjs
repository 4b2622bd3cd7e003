import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'cdktf.out/', 'dist/', 'coverage/', 'test-output/', '.gen/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { require: 'readonly', module: 'writable', __dirname: 'readonly', process: 'readonly', console: 'readonly' } },
    rules: {
      // Deep imports only: the package root loads every resource and makes synth ~10x slower.
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: '@cdktf/provider-aws', message: 'Import from @cdktf/provider-aws/lib/<resource> (the root import makes synth ~10x slower).' },
            { name: '@cdktf/provider-archive', message: 'Import from @cdktf/provider-archive/lib/<resource>.' },
          ],
        },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
