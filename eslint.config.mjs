// Lint rules that keep the architecture honest (run by `npm test`):
// - domain/ is pure: no Node built-ins, no I/O packages, no Temporal, nothing from infra/ or models/.
// - workflows/ are deterministic: the same, except the workflow SDK (Temporal's own advice: no
//   Node built-ins, no I/O, no clocks or randomness but the SDK's).
// - no runtime folder imports dev/ (embedded servers and mail/SMS capture are development only).
// - the process environment is read in one place, infra/config.ts.
// - no circular imports anywhere.
// - the web app (web/src, .ts and .tsx): the rules of hooks and React's own checks
//   (eslint-plugin-react-hooks), accessible JSX (eslint-plugin-jsx-a11y), and imports that flow one
//   way, app → features → shared (components, lib, utils, api), with no feature importing another.
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';
import reactHooks from 'eslint-plugin-react-hooks';
import jsxA11y from 'eslint-plugin-jsx-a11y';
import { builtinModules } from 'node:module';
import { readdirSync } from 'node:fs';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';

const builtins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];
const ioPackages = [
  'mongoose', 'mongodb', 'express', 'pino', 'nodemailer', 'prom-client', 'node-cron', 'jose', 'helmet', 'smtp-server',
  '@temporalio/client', '@temporalio/worker', '@temporalio/activity', '@temporalio/testing',
];
const layerPatterns = (...folders) => folders.map((f) => ({ group: [`**/${f}`, `**/${f}/*`], message: `not from here: ${f}/ is I/O or development code` }));
const noDev = { group: ['**/dev', '**/dev/*'], message: 'dev/ is development only: pass it in from an entry point (see system/)' };

// web/src: app → features → shared. api/ (the generated types, the client, live updates) and
// auth.ts are shared too; they stay where they are while sign-in moves to a server-side session.
const web = './web/src';
const features = readdirSync(new URL('./web/src/features', import.meta.url), { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
const shared = ['components', 'lib', 'utils', 'api', 'auth.ts'].map((p) => `${web}/${p}`);
const webZones = [
  ...features.map((f) => ({
    target: `${web}/features/${f}`, from: `${web}/features`, except: [`./${f}`],
    message: 'no feature imports another: the app (web/src/app) composes them',
  })),
  { target: `${web}/features`, from: `${web}/app`, message: 'imports flow app → features → shared' },
  ...shared.map((target) => ({ target, from: [`${web}/app`, `${web}/features`], message: 'shared code (components, lib, utils, api) imports no feature and nothing of the app' })),
];

export default tseslint.config(
  { ignores: ['node_modules/**', '.data/**', 'web/dist/**', 'web/src/api/schema.d.ts'] },
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: { parser: tseslint.parser, parserOptions: { ecmaVersion: 2022, sourceType: 'module', ecmaFeatures: { jsx: true } } },
    plugins: { '@typescript-eslint': tseslint.plugin, 'import-x': importX },
    settings: {
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: ['tsconfig.json', 'web/tsconfig.json'], noWarnOnMultipleProjects: true })],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.tsx'] },
      'import-x/extensions': ['.ts', '.tsx'],
    },
    rules: {
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'read configuration through infra/config.ts (loadConfig)' }],
    },
  },
  {
    files: ['activities/**', 'api/**', 'infra/**', 'models/**', 'system/**', 'worker/**', 'scripts/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [noDev] }] },
  },
  {
    // Development entry points may use dev/: npm start, provisioning, tests, the benchmark.
    files: ['scripts/start.ts', 'scripts/provision.ts', 'scripts/contract.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    files: ['domain/**'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [...builtins, ...ioPackages, '@temporalio/workflow', '@temporalio/common'].map((name) => ({ name, message: 'domain/ is pure: no I/O, no Temporal' })),
        patterns: [...layerPatterns('infra', 'models', 'api', 'activities', 'workflows', 'system', 'worker', 'dev')],
      }],
    },
  },
  {
    files: ['workflows/**'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [...builtins, ...ioPackages].map((name) => ({ name, message: 'workflow code must be deterministic: no Node built-ins or I/O (use activities)' })),
        patterns: [...layerPatterns('infra', 'models', 'api', 'system', 'worker', 'dev')],
      }],
      'no-restricted-globals': ['error', { name: 'setTimeout', message: 'use sleep() from @temporalio/workflow' }, { name: 'setInterval', message: 'use sleep() from @temporalio/workflow' }],
    },
  },
  {
    files: ['infra/config.ts', 'test/**', 'bench/**'],
    rules: { 'no-restricted-properties': 'off' },
  },
  {
    // Type-aware rules that catch real bugs, on all code (workflows included): a promise nobody
    // awaits or handles, a promise where a value belongs, await on a non-promise, a switch that
    // misses a case of a union.
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: {
      parserOptions: {
        // Two programs: the back end's and the web app's with its tests (web/tsconfig.test.json
        // includes all of web/src). The project service put the web tests in a default project
        // each, and took three times as long.
        project: ['./tsconfig.json', './web/tsconfig.test.json'],
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
    },
  },
  {
    files: ['web/src/**/*.ts', 'web/src/**/*.tsx'],
    plugins: { 'react-hooks': reactHooks, 'jsx-a11y': jsxA11y },
    languageOptions: { globals: { window: 'readonly', document: 'readonly' } },
    rules: {
      ...reactHooks.configs.flat.recommended.rules,
      'react-hooks/exhaustive-deps': 'error',
      ...jsxA11y.flatConfigs.recommended.rules,
      'jsx-a11y/aria-role': ['error', { ignoreNonDOM: true }],
      'import-x/no-restricted-paths': ['error', { zones: webZones }],
    },
  },
);
