// @ts-check
/**
 * Lint states the architecture as code: where each folder may import from, what the engine and the
 * webviews must never import, no import cycles, exhaustive switches over our unions, no promise
 * left unhandled. Formatting is Prettier's job (prettier.config.mjs): no rule here restates it, and none of the
 * configs used below (ESLint's and typescript-eslint's recommended) contains layout rules.
 */
import { readdirSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import comments from '@eslint-community/eslint-plugin-eslint-comments';
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const root = import.meta.dirname;

/**
 * The one-way flow of src/: each top-level folder and the other folders it may import (itself is
 * always allowed). Each folder may use anything below it, never above:
 *   shared ← security ← tools ← agent ← engine ← demo ← cli;  engine ← vscode
 *   cost, ledger ← shared only;  webview (host protocol + browser ui) ← shared only.
 * Type-only imports count too: a type from a higher folder drags that folder into the lower one's
 * type-check (the webview's tsconfig pulling in node:fs through a type was the symptom).
 */
const LAYERS = {
  shared: [],
  security: ['shared'],
  cost: ['shared'],
  ledger: ['shared'],
  tools: ['shared', 'security'],
  agent: ['shared', 'security', 'tools', 'cost'],
  engine: ['shared', 'security', 'tools', 'cost', 'ledger', 'agent'],
  // The recorded demo and its replay server: product code that drives the engine, used by the CLI.
  demo: ['shared', 'security', 'tools', 'cost', 'ledger', 'agent', 'engine'],
  // The MCP server that lends our tools to other agents: an adapter like the CLI, which starts it.
  mcpServer: ['shared', 'security', 'tools', 'cost', 'ledger', 'agent', 'engine'],
  cli: ['shared', 'security', 'tools', 'cost', 'ledger', 'agent', 'engine', 'demo', 'mcpServer'],
  // The adapter imports the webview protocols (host side), never the browser bundle (zone below).
  vscode: ['shared', 'security', 'tools', 'cost', 'ledger', 'agent', 'engine', 'webview'],
  webview: ['shared'],
};

// A folder or file in src/ that is not in LAYERS would be unrestricted: refuse it, so whoever adds
// one decides where it sits in the flow (a line above) instead of lint silently allowing anything.
const unplaced = readdirSync(path.join(root, 'src'), { withFileTypes: true }).filter((entry) => !entry.isDirectory() || !Object.hasOwn(LAYERS, entry.name));
if (unplaced.length > 0) {
  throw new Error(`eslint.config.mjs: src/${unplaced[0]?.name} has no place in LAYERS; add the folder there with the folders it may import.`);
}

/** One zone per folder, as an allow-list: whatever src/ folder is not listed is refused. */
const layerZones = Object.entries(LAYERS).map(([folder, allowed]) => ({
  target: `./src/${folder}`,
  from: './src',
  except: [folder, ...allowed].map((name) => `./${name}`),
  message: `src/${folder} may import only itself${allowed.map((name) => `, src/${name}`).join('')} (one-way flow, see LAYERS in eslint.config.mjs).`,
}));

const NO_VSCODE = 'Only the adapter (src/vscode) and the extension-host tests (test/vscode) may import vscode: the engine also runs headless in the CLI.';
const NO_NODE = 'Browser code (src/webview) and what it shares (src/shared) run in a webview: no Node builtins.';
const NO_SDK = 'The adapters hold no Anthropic SDK types or clients: the engine owns the client and hands out opaque handles.';

/**
 * Options of no-restricted-imports for one kind of file. ESLint replaces (does not merge) a rule's
 * options when a later block sets them, so every block states its whole list through this.
 */
function restrictedImports({ allowVscode = false, allowNode = true, allowSdk = true }) {
  /** @type {{ name: string, message: string }[]} */
  const paths = [];
  /** @type {{ regex: string, message: string }[]} */
  const patterns = [];
  if (!allowVscode) paths.push({ name: 'vscode', message: NO_VSCODE });
  if (!allowNode) {
    paths.push(...builtinModules.filter((name) => !name.startsWith('_')).map((name) => ({ name, message: NO_NODE })));
    patterns.push({ regex: '^node:', message: NO_NODE });
  }
  if (!allowSdk) patterns.push({ regex: '^@anthropic-ai/sdk(/|$)', message: NO_SDK });
  return /** @type {const} */ (['error', { paths, patterns }]);
}

// no-restricted-imports sees static imports only; these catch `import('vscode')` and `require('vscode')`.
const noDynamicVscode = /** @type {const} */ ([
  'error',
  { selector: "ImportExpression[source.value='vscode']", message: NO_VSCODE },
  { selector: "CallExpression[callee.name='require'][arguments.0.value='vscode']", message: NO_VSCODE },
]);

export default defineConfig(
  {
    ignores: ['node_modules/', 'dist/', 'out/', 'dist-test/', '.vscode-test/', '.bench/', 'test-results/', 'samples/'],
  },

  {
    // Principle: no blanket disables. A disable names its rule and says why (`-- reason`); the rules that
    // state the architecture cannot be disabled inline at all, nor reconfigured by an inline
    // `/* eslint rule: off */` (no-use allows only disable comments); a disable that no longer
    // suppresses anything fails.
    linterOptions: { reportUnusedDisableDirectives: 'error', reportUnusedInlineConfigs: 'error' },
    plugins: { '@eslint-community/eslint-comments': comments },
    rules: {
      '@eslint-community/eslint-comments/no-unlimited-disable': 'error',
      '@eslint-community/eslint-comments/require-description': 'error',
      '@eslint-community/eslint-comments/disable-enable-pair': 'error',
      '@eslint-community/eslint-comments/no-aggregating-enable': 'error',
      '@eslint-community/eslint-comments/no-unused-enable': 'error',
      '@eslint-community/eslint-comments/no-use': ['error', { allow: ['eslint-disable-next-line', 'eslint-disable-line', 'eslint-disable', 'eslint-enable'] }],
      '@eslint-community/eslint-comments/no-restricted-disable': [
        'error',
        'import-x/no-restricted-paths',
        'import-x/no-cycle',
        'no-restricted-imports',
        'no-restricted-syntax',
        '@typescript-eslint/no-floating-promises',
        '@typescript-eslint/no-misused-promises',
        '@typescript-eslint/switch-exhaustiveness-check',
      ],
    },
  },

  js.configs.recommended,
  // The type-checked baseline: it knows what is a promise, an `any` or a union, which the untyped rules cannot.
  ...tseslint.configs.recommendedTypeChecked,
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { project: './tsconfig.json', tsconfigRootDir: root },
    },
  },
  {
    // The webview's browser code is type-checked with the DOM library and without Node types.
    files: ['src/webview/ui/**/*.ts'],
    languageOptions: {
      parserOptions: { project: './tsconfig.webview.json', tsconfigRootDir: root },
    },
  },
  {
    // The panel's tests run in Node on jsdom: DOM and Node types, from their own tsconfig.
    files: ['test/unit/webview/**/*.ts'],
    languageOptions: {
      parserOptions: { project: './test/unit/webview/tsconfig.json', tsconfigRootDir: root },
    },
  },

  {
    files: ['**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/extensions': ['.ts', '.js', '.cjs', '.mjs'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      'import-x/external-module-folders': ['node_modules', 'node_modules/@types'],
      // Resolves our extension-less relative imports (moduleResolution "Bundler") to the .ts files.
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.js', '.json'] })],
    },
    rules: {
      // Principle: no promise left unhandled. A rejection nobody awaits is an unhandled rejection or a
      // lost error; `void promise` stays the explicit, visible opt-out.
      '@typescript-eslint/no-floating-promises': ['error', { ignoreVoid: true }],
      '@typescript-eslint/no-misused-promises': 'error',

      // Principle: a new member of a union (an engine event, a webview message) must be handled
      // everywhere it is switched over. A `default:` does not count as handling it
      // (considerDefaultExhaustiveForUnions: false), so it cannot hide a missing case; a default on a
      // complete switch is allowed as a runtime guard (e.g. `default: checkNever(x)`). A switch over a
      // plain string must say what happens to the rest.
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: false, allowDefaultCaseForExhaustiveSwitch: true, requireDefaultForNonUnion: true }],

      // Where the baseline fights the codebase, narrowed with a reason instead of silenced:
      // - An async function that implements a Promise-returning interface without awaiting is correct,
      //   and dropping `async` would turn its throws into synchronous ones; the promise rules above
      //   are what guard promises.
      '@typescript-eslint/require-await': 'off',
      // - Passing on a rejection we did not make (`signal.reason`, a caught error) is right; the rule
      //   still refuses rejections we invent from non-Errors. Same policy as only-throw-error's defaults.
      '@typescript-eslint/prefer-promise-reject-errors': ['error', { allowThrowingAny: true, allowThrowingUnknown: true }],
      // - vscode.Uri prints its canonical URI (what webview HTML and the CSP need), like URL does.
      '@typescript-eslint/restrict-template-expressions': [
        'error',
        {
          allowAny: true,
          allowBoolean: true,
          allowNullish: true,
          allowNumber: true,
          allowRegExp: true,
          allow: [
            { name: ['Error', 'URL', 'URLSearchParams'], from: 'lib' },
            { name: 'Uri', from: 'package', package: 'vscode' },
          ],
        },
      ],
      // - tsc (noUnusedLocals/noUnusedParameters) already accepts a leading `_` as "unused on purpose".
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', ignoreRestSiblings: true }],

      // Principle: no import cycles; a module graph that reads bottom-up. Type-only imports are
      // skipped by the rule (they vanish at run time); folder-level cycles are ruled out by the zones.
      'import-x/no-cycle': ['error', { ignoreExternal: true }],

      // Principle: the one-way flow of src/ (LAYERS above); the product never ships its tests.
      'import-x/no-restricted-paths': [
        'error',
        {
          basePath: root,
          zones: [
            ...layerZones,
            { target: './src', from: ['./test', './bench', './scripts'], message: 'Nothing in src/ imports test/, bench/ or scripts/: the product must not ship its tests.' },
            { target: './src/vscode', from: './src/webview/ui', message: 'The adapter speaks to the webview through src/webview/*Protocol*; src/webview/ui is the browser bundle.' },
          ],
        },
      ],

      // Principle: the engine folders never import vscode (allowed in src/vscode and test/vscode only, below).
      'no-restricted-imports': restrictedImports({}),
      'no-restricted-syntax': noDynamicVscode,
    },
  },
  {
    files: ['src/shared/**/*.ts', 'src/webview/**/*.ts'],
    // Principle: src/shared and the webview run in the browser too: no Node builtins (and no vscode).
    rules: { 'no-restricted-imports': restrictedImports({ allowNode: false }) },
  },
  {
    files: ['src/cli/**/*.ts'],
    // Principle: one composition root in the engine owns the SDK client; the CLI adapter holds none.
    rules: { 'no-restricted-imports': restrictedImports({ allowSdk: false }) },
  },
  {
    files: ['src/vscode/**/*.ts'],
    // The adapter: vscode allowed; SDK types and clients not (the engine hands out opaque handles).
    rules: { 'no-restricted-imports': restrictedImports({ allowVscode: true, allowSdk: false }), 'no-restricted-syntax': 'off' },
  },
  {
    files: ['test/vscode/**/*.ts'],
    // Tests that run inside the real extension host drive it through the vscode API.
    rules: { 'no-restricted-imports': restrictedImports({ allowVscode: true }), 'no-restricted-syntax': 'off' },
  },

  {
    // Plain JavaScript (this file, the mocha preloads): no tsconfig covers it, so no type-aware rules.
    ...tseslint.configs.disableTypeChecked,
    files: ['**/*.{js,cjs,mjs}'],
    languageOptions: { ...tseslint.configs.disableTypeChecked.languageOptions, globals: globals.node },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    // CommonJS preloads load their dependencies with require().
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
