import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseArgs } from '../../src/cli/args.js';
import { COMMANDS, OPTIONS, renderUsage, usageLine } from '../../src/cli/usage.js';

test('every option of the help table is one the parser accepts, with its value when it takes one', () => {
  for (const o of OPTIONS) {
    for (const flag of o.flags.split(',').map((f) => f.trim())) {
      // A value of the kind each option takes: seconds for --converge, a path for the others.
      const argv = o.arg ? [flag, o.arg === 'SECONDS' ? '5' : '/x'] : [flag];
      assert.doesNotThrow(() => parseArgs(argv), argv.join(' '));
      if (o.arg) assert.throws(() => parseArgs([flag]), /expects/, `${flag} without its ${o.arg}`);
    }
  }
});

test('every command of the help table is one the parser accepts', () => {
  for (const c of COMMANDS) {
    assert.equal(parseArgs([c.name]).command, c.name);
    assert.ok(c.synopsis.startsWith(`autoheal-once ${c.name}`), c.synopsis);
  }
});

test('the help lists every command and option, in lines of at most 100 columns', () => {
  const help = renderUsage();
  assert.ok(help.startsWith(`${usageLine()}\n`));
  for (const c of COMMANDS) assert.match(help, new RegExp(`^  ${c.name} +\\S`, 'm'), c.name);
  for (const o of OPTIONS) assert.ok(help.includes(`  ${o.flags}${o.arg ? ` ${o.arg}` : ''}  `), o.flags);
  for (const line of help.split('\n')) assert.ok(line.length <= 100, line);
});
