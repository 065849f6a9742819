// ESLint over the extension's scripts and these tests, run from the repository's root:
// `npm --prefix tests/unit run lint`. @eslint/js's recommended rules, and a few more that catch
// real bugs: == where === was meant, a name hiding another, an unused variable or import, a
// callback of map/filter that forgets to return, a function that returns a value on one path and
// nothing on another, a Promise executor that returns a value, a throw or a rejection of a
// non-Error, an expression whose value is dropped, a `${…}` in a plain string.
import js from '@eslint/js';
import globals from 'globals';

const bugs = {
  'array-callback-return': 'error',
  'consistent-return': 'error',
  eqeqeq: ['error', 'always'],
  'no-loop-func': 'error',
  'no-promise-executor-return': 'error',
  'no-self-compare': 'error',
  'no-shadow': ['error', { builtinGlobals: false, hoist: 'functions' }],
  'no-template-curly-in-string': 'error',
  'no-throw-literal': 'error',
  'no-unmodified-loop-condition': 'error',
  'no-unreachable-loop': 'error',
  'no-unused-expressions': 'error',
  'no-unused-vars': ['error', { args: 'after-used', argsIgnorePattern: '^_', caughtErrors: 'all' }],
  'no-use-before-define': ['error', { functions: false, classes: true, variables: false }],
  'prefer-const': 'error',
  'prefer-promise-reject-errors': 'error',
  'no-var': 'error',
};

// The port names and the offscreen target live in extension/protocol.js, the one place that
// says what crosses between the extension's parts; only content scripts, which cannot import,
// write them out.
const NAMES = '/^(popup|drop|options|offscreen)$/';
const protocolNames = {
  'no-restricted-syntax': [
    'error',
    { selector: "Literal[value='liftoff:capture']", message: 'Use CAPTURE_PORT from extension/protocol.js.' },
    { selector: `Property[key.name=/^(name|target)$/] > Literal[value=${NAMES}]`, message: 'Use the names of extension/protocol.js.' },
    { selector: `BinaryExpression[left.property.name=/^(name|target)$/][right.value=${NAMES}]`, message: 'Use the names of extension/protocol.js.' },
  ],
};

export default [
  { ignores: ['extension/wasm/**', 'tests/unit/node_modules/**'] },
  js.configs.recommended,
  {
    files: ['extension/**/*.js'],
    languageOptions: {
      ecmaVersion: 2024,
      sourceType: 'module',
      globals: { ...globals.browser, ...globals.webextensions, ...globals.serviceworker },
    },
    rules: bugs,
  },
  {
    files: ['extension/**/*.js'],
    ignores: ['extension/protocol.js', 'extension/content/**'],
    rules: protocolNames,
  },
  {
    // Content scripts are classic scripts: no imports, and their top-level names are the isolated
    // world's globals (session-page.js defines liftoffServeSession, used by the next script).
    files: ['extension/content/**/*.js'],
    languageOptions: { sourceType: 'script' },
    rules: { 'no-unused-vars': ['error', { vars: 'local', caughtErrors: 'all' }] },
  },
  {
    files: ['extension/content/lovable.js', 'extension/content/base44.js'],
    languageOptions: { globals: { liftoffServeSession: 'readonly' } },
  },
  {
    files: ['tests/unit/**/*.js'],
    languageOptions: {
      ecmaVersion: 2024,
      sourceType: 'module',
      // chrome: the fake of fakes/chrome.js, installed by register.js.
      globals: { ...globals.node, chrome: 'readonly' },
    },
    rules: bugs,
  },
];
