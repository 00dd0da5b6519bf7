// Entry point of the single executable: runs the embedded bundle with a V8 code cache taken after a whole pass.
// Why: Node's own SEA code cache is made before anything runs, so it holds the bundle's top level only, and every
// function a pass calls (yaml's parser, the probes, the report) would be compiled again at every start. The build
// runs one healthy pass through this same file with plain node (training: not an executable) and embeds the cache
// V8 has built by its end.
'use strict';
// No V8 flag is set here: a flag changed before Node loads its own modules makes it compile each of them from source
// (src/util/heap.ts sets flags for a big config only, once the bundle is compiled). A cache made under other flags
// (e.g. from NODE_OPTIONS) is rejected by V8, which only costs that compile back.
const sea = require('node:sea');
const vm = require('node:vm');

const training = !sea.isSea();
const env = process.env;
// The bundle comes wrapped as a CommonJS function by the build (scripts/pack-binary.mjs), so that its text is held
// once, not again as a wrapped copy; the code cache is read in place, not copied.
const source = training ? require('node:fs').readFileSync(env.AUTOHEAL_TRAIN_BUNDLE, 'utf8') : sea.getAsset('autoheal-once.cjs', 'utf8');
const cachedData = training ? undefined : new Uint8Array(sea.getRawAsset('autoheal-once.cache'));
const script = new vm.Script(source, { filename: 'autoheal-once.cjs', cachedData });
if (training) process.on('exit', () => require('node:fs').writeFileSync(env.AUTOHEAL_TRAIN_CACHE, script.createCachedData()));
// Asked by the build's check only: a rejected cache gives a binary that is slower in a way nobody would notice.
if (script.cachedDataRejected && env.AUTOHEAL_CHECK_CODE_CACHE === '1') process.stderr.write('code cache rejected\n');
script.runInThisContext()(module.exports, require, module, __filename, __dirname);
