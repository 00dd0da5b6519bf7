import { defineConfig } from 'tsup';
import pkg from './package.json' with { type: 'json' };

// Each build its own identity: a config parsed and cached by one build is never trusted by another.
const buildId = `${pkg.version}+${Date.now().toString(36)}`;

// One self-contained CommonJS file: the input of the single-executable packer; and the man page writer (build only).
export default defineConfig({
  entry: { 'autoheal-once': 'src/main.ts', 'build-man': 'src/doc/build-man.ts' },
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
  define: { __AUTOHEAL_BUILD__: JSON.stringify(buildId) },
  // Node's own modules loaded on use (`await import('node:dns')`) become require() calls: the single executable runs
  // the bundle as a vm.Script, which has no loader for import(), and would fail there as an internal error.
  esbuildOptions: (options) => {
    options.supported = { ...options.supported, 'dynamic-import': false };
  },
});
