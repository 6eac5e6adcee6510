// Lint is a gate (npm run lint): strict type-aware rules, floating promises, exhaustive switches,
// no focused or skipped tests, and the purity of workflows/.
import js from '@eslint/js';
import jest from 'eslint-plugin-jest';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.tools/**', '.data/**', 'coverage/**', '**/*.js', '**/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': [
        'error',
        { considerDefaultExhaustiveForUnions: true },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': [
        'error',
        { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false },
      ],
      '@typescript-eslint/no-extraneous-class': 'off',
      '@typescript-eslint/require-await': 'off',
      // Nest's decorators and Temporal's proxies lean on these patterns.
      '@typescript-eslint/no-unsafe-enum-comparison': 'off',
      'no-restricted-syntax': [
        'error',
        {
          selector: "MemberExpression[object.name='process'][property.name='env']",
          message: 'Read configuration through libs/config (loadConfig), never process.env.',
        },
      ],
    },
  },
  {
    files: [
      'libs/config/src/config.ts',
      'scripts/**/*.ts',
      'test/support/global-setup.ts',
      'test/support/postgres-setup.ts',
      'test/cluster/global-setup.ts',
    ],
    rules: { 'no-restricted-syntax': 'off' },
  },
  {
    // Input rules (issue 8) live in apps/api/src/common: DTOs come from its strict createZodDto,
    // and its InputPipe is the one validation pipe.
    files: ['apps/**/*.ts', 'libs/**/*.ts'],
    ignores: ['apps/api/src/common/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'nestjs-zod',
              importNames: ['createZodDto', 'ZodValidationPipe', 'createZodValidationPipe'],
              message: 'Use createZodDto from apps/api/src/common/zod.ts (strict objects, full OpenAPI).',
            },
          ],
        },
      ],
    },
  },
  {
    // Rule 2: workflows are deterministic. No Node built-ins, no Nest, no ORM; activities as types only.
    files: ['workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                'node:*',
                'fs',
                'path',
                'crypto',
                'os',
                'http',
                'https',
                'net',
                'child_process',
                'worker_threads',
                'timers',
                'events',
                'stream',
                'util',
                'process',
              ],
              message: 'Workflow code is deterministic: no Node built-ins.',
            },
            {
              group: [
                '@nestjs/*',
                '@mikro-orm/*',
                '@temporalio/client',
                '@temporalio/worker',
                '@temporalio/activity',
              ],
              message: 'Workflow code may only use @temporalio/workflow (and @temporalio/common types).',
            },
            {
              group: ['**/activities/*', '**/activities'],
              allowTypeImports: true,
              message: 'Import activities as types only (import type).',
            },
            {
              group: ['@app/*', '@libs/*'],
              message: 'The workflow bundler ignores path aliases: use relative imports.',
            },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'setTimeout', message: 'Use sleep() from @temporalio/workflow.' },
        { name: 'setInterval', message: 'Use sleep() in a loop.' },
        { name: 'Math', message: 'Math.random is not deterministic here; use uuid4()/the workflow random.' },
      ],
    },
  },
  {
    // Rule 1: apps never import each other; libs never import apps.
    files: ['libs/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/apps/**'], message: 'libs never import apps.' }] },
      ],
    },
  },
  {
    files: ['apps/api/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/apps/worker/**', '**/worker/src/**'], message: 'apps never import each other.' },
          ],
        },
      ],
    },
  },
  {
    files: ['apps/worker/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/apps/api/**', '**/api/src/**'], message: 'apps never import each other.' },
          ],
        },
      ],
    },
  },
  {
    // The reviewer console (issue 14) runs in the browser and talks to the API over HTTP only:
    // it imports nothing from the apps or libs, and no package (it ships as plain ES modules).
    files: ['apps/console/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/apps/**', '**/libs/**', '../../*'],
              message: 'The console talks to the API over HTTP only.',
            },
            { regex: '^[^.]', message: 'The console ships as plain ES modules: no packages.' },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.spec.ts', 'test/**/*.ts'],
    ...jest.configs['flat/recommended'],
    rules: {
      ...jest.configs['flat/recommended'].rules,
      'jest/no-focused-tests': 'error',
      'jest/no-disabled-tests': 'error',
      'jest/expect-expect': ['error', { assertFunctionNames: ['expect', 'expect*', 'request.**.expect'] }],
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/unbound-method': 'off',
      // Tests read untyped JSON bodies over real HTTP; their assertions are the type check.
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
);
