import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// The core (src/, db/) must never know which chat platforms exist: adapters depend on the core,
// not the other way round, so a new platform is a new folder and nothing else changes.
const coreBoundary = {
  patterns: [
    {
      group: ['**/adapters/**', '../adapters/*', '../../adapters/*'],
      message:
        'src/ and db/ must not import adapters/ (adapters depend on the core, never the reverse).',
    },
    {
      group: ['@slack/*', 'discord.js', '@discordjs/*'],
      message: 'Platform SDKs belong in adapters/, not in the core.',
    },
  ],
};
// db/ is the bottom layer: it may not reach up into the domain modules either.
const dbBoundary = {
  patterns: [
    ...coreBoundary.patterns,
    // Types are shared (they are defined once, in src/domain.ts); code is not.
    {
      group: ['../src/*', '../../src/*', '**/src/**'],
      allowTypeImports: true,
      message: 'db/ is the bottom layer: it may import types from src/, never code.',
    },
  ],
};

const product = ['src/**/*.ts', 'adapters/**/*.ts', 'db/**/*.ts'];

export default tseslint.config(
  { ignores: ['node_modules/', 'data/', 'coverage/', 'tmp/', 'dist/', 'scratch/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        Buffer: 'readonly',
        URL: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        AbortController: 'readonly',
        AbortSignal: 'readonly',
        fetch: 'readonly',
        TextDecoder: 'readonly',
        Response: 'readonly',
        Headers: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      'max-lines': ['warn', { max: 350, skipBlankLines: true, skipComments: true }],
    },
  },
  // The product's code is linted with its types (tests and bench with the syntax rules above).
  ...tseslint.configs.recommendedTypeChecked.map((config) => ({ ...config, files: product })),
  {
    files: product,
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
  },
  { files: ['src/**/*.ts'], rules: { 'no-restricted-imports': ['error', coreBoundary] } },
  {
    files: ['db/**/*.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', dbBoundary] },
  },
);
