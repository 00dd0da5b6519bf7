import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseArgs } from '../../src/cli/args.js';
import { COMMANDS, OPTIONS, renderUsage, usageLine } from '../../src/cli/usage.js';

// A value of each kind an option takes, and the command an option needs when it is not one of a pass.
const SAMPLE: Record<string, string> = { PATH: '/x.prom', DIR: '/x', SECONDS: '50', FORMAT: 'json', DURATION: '1h', TEXT: 'x' };
const COMMAND_OF: Record<string, string[]> = { '--all': ['resume'], '--for': ['pause', 'db'], '--reason': ['pause', 'db'], '--no-probe': ['graph'] };

test('every option of the help table is one the parser accepts, with its value when it takes one', () => {
  for (const o of OPTIONS) {
    for (const flag of o.flags.split(',').map((f) => f.trim())) {
      const argv = [...(COMMAND_OF[flag] ?? []), ...(o.arg ? [flag, SAMPLE[o.arg] ?? '/x'] : [flag])];
      assert.doesNotThrow(() => parseArgs(argv), argv.join(' '));
      if (o.arg) assert.throws(() => parseArgs([flag]), /expects/, `${flag} without its ${o.arg}`);
    }
  }
});

test('every command of the help table is one the parser accepts', () => {
  for (const c of COMMANDS) {
    assert.equal(parseArgs(c.synopsis.includes('NAME') ? [c.name, 'x'] : [c.name]).command, c.name);
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
