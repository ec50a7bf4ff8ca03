// Flightdeck's ESLint config (flat): TypeScript read by the typescript-eslint parser, and the
// layout's import boundaries. Formatting is Prettier's job, types are tsc's.
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import tsPlugin from '@typescript-eslint/eslint-plugin';
import tsParser from '@typescript-eslint/parser';
import { featureBoundaries } from './rules/feature-boundaries.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export default [
  { ignores: ['**/node_modules/**', '**/dist/**', '**/__fixtures__/**', 'tools/lint/fixtures/**'] },
  {
    files: ['apps/*/src/**/*.{ts,tsx}', 'packages/*/src/**/*.{ts,tsx}', 'test/**/*.ts', 'tools/**/*.ts'],
    languageOptions: { parser: tsParser, ecmaVersion: 'latest', sourceType: 'module' },
    plugins: {
      flightdeck: { rules: { 'feature-boundaries': featureBoundaries } },
      '@typescript-eslint': tsPlugin,
    },
    linterOptions: { reportUnusedDisableDirectives: 'off' },
    rules: {
      'flightdeck/feature-boundaries': ['error', { root: repoRoot }],
      // The few places that need `any` say why, beside a disable comment.
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  // Tests may type a JSON answer loosely.
  { files: ['**/*.test.ts', 'test/**/*.ts'], rules: { '@typescript-eslint/no-explicit-any': 'off' } },
];
