import { defineConfig } from 'tsup';

// One self-contained CommonJS file: the input of the single-executable packer.
export default defineConfig({
  entry: { 'autoheal-once': 'src/main.ts' },
  format: ['cjs'],
  outExtension: () => ({ js: '.cjs' }),
  platform: 'node',
  target: 'node20',
  bundle: true,
  noExternal: [/.*/],
  splitting: false,
  sourcemap: false,
  minify: false,
  clean: true,
  shims: false,
});
