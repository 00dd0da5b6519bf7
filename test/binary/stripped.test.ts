// The executable carries no symbol table or debug info: they serve only debuggers, and were most of 12 MiB.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closeSync, openSync, readSync } from 'node:fs';
import { builtBinary, skipWithoutBinary } from './standalone.js';

/** The section names of an ELF64 little-endian file, read from its section header table. */
function sectionNames(file: string): string[] {
  const fd = openSync(file, 'r');
  try {
    const read = (offset: number, length: number): Buffer => {
      const buf = Buffer.alloc(length);
      assert.equal(readSync(fd, buf, 0, length, offset), length, `read ${length} bytes at ${offset}`);
      return buf;
    };
    const header = read(0, 64);
    assert.equal(header.toString('latin1', 0, 4), '\x7fELF');
    assert.equal(header[4], 2, 'ELF64');
    const shoff = Number(header.readBigUInt64LE(0x28));
    const [entsize, count, strndx] = [header.readUInt16LE(0x3a), header.readUInt16LE(0x3c), header.readUInt16LE(0x3e)];
    const table = read(shoff, entsize * count);
    const at = (i: number) => ({
      name: table.readUInt32LE(i * entsize),
      offset: Number(table.readBigUInt64LE(i * entsize + 0x18)),
      size: Number(table.readBigUInt64LE(i * entsize + 0x20)),
    });
    const strtab = at(strndx);
    const names = read(strtab.offset, strtab.size);
    return Array.from({ length: count }, (_, i) => names.toString('latin1', at(i).name, names.indexOf(0, at(i).name)));
  } finally {
    closeSync(fd);
  }
}

test('the executable is stripped: no .symtab, no debug sections; the dynamic symbols stay', { skip: skipWithoutBinary }, () => {
  const names = sectionNames(builtBinary);
  assert.ok(names.includes('.text') && names.includes('.dynsym'), names.join(' '));
  assert.deepEqual(
    names.filter((n) => n === '.symtab' || n === '.strtab' || n.startsWith('.debug')),
    [],
  );
});

test("the reader reads node's own section table", () => {
  const names = sectionNames(process.execPath);
  assert.ok(names.includes('.text'), names.join(' '));
});
