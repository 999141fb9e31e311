import { describe, expect, it } from 'vitest';
import { checkVersion, migrations, type Migration } from './version.js';
import { parseYaml } from './yaml-source.js';

describe('version migrations', () => {
  it('the table is empty: version 1 is the first format', () => {
    expect(Object.keys(migrations)).toEqual([]);
  });

  it('a migration edits the document in place, keeps positions and says so in a warning', () => {
    // A made-up format 0 that called `storage` `store`.
    const table: Record<number, Migration> = {
      0: {
        to: 1,
        summary: '`store` renamed to `storage`',
        migrate(doc) {
          const node = doc.get('store', true);
          doc.delete('store');
          doc.set('storage', node);
          return [];
        },
      },
    };
    const { source } = parseYaml('version: 0\nstore:\n  path: a.db\n');
    const r = checkVersion(source!.doc, source!.data as Record<string, unknown>, table);
    expect(r.ok).toBe(true);
    expect(r.findings).toEqual([{ severity: 'warning', at: ['version'], message: 'version 0 read as version 1: `store` renamed to `storage`; update the file (docs/configuration.md#versions-and-migrations)' }]);
    expect(source!.doc.toJS()).toEqual({ version: 1, storage: { path: 'a.db' } });
    expect(source!.locate(['storage', 'path'])).toEqual({ line: 3, column: 9 });
  });

  it('with migrations present, the message lists every version read', () => {
    const table: Record<number, Migration> = { 0: { to: 1, summary: 's', migrate: () => [] } };
    const { source } = parseYaml('version: 3\n');
    expect(checkVersion(source!.doc, { version: 3 }, table).findings[0]?.message).toBe('is newer than this Vigil understands (it reads version 0, 1); upgrade Vigil');
  });
});
