import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ENVIRONMENT_VARIABLES } from '@kairos/config';

/** The README's configuration table is what users read; it must match what the code reads. */
describe('README configuration table', () => {
  const readme = readFileSync(resolve(__dirname, '../../README.md'), 'utf8');
  const rows = new Map(
    [...readme.matchAll(/^\|\s*`([A-Z_][A-Z0-9_]*)`\s*\|\s*(.+?)\s*\|\s*(.+?)\s*\|$/gm)].map(
      (match) => [match[1], { default: match[2], meaning: match[3] }],
    ),
  );

  it.each(Object.entries(ENVIRONMENT_VARIABLES))('documents %s as the code does', (name, doc) => {
    expect(rows.get(name)).toEqual({ default: doc.default, meaning: doc.meaning });
  });

  it('documents no variable the code does not read', () => {
    const known = new Set(Object.keys(ENVIRONMENT_VARIABLES));
    expect([...rows.keys()].filter((name) => name === undefined || !known.has(name))).toEqual([]);
  });
});
