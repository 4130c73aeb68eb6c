import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve, dirname, sep } from 'node:path';
import { preProcessFile } from 'typescript';

/**
 * Data flows one way: no folder of `src/` imports, directly or through others, a folder that
 * imports it back, and the request's life (`src/http/`) knows no feature. Read from the sources'
 * imports as TypeScript parses them (specs aside: a spec may import what it tests).
 */
const SRC = resolve(__dirname, '..', '..', 'src');

/** All src/http/ may import from other folders: the configuration it is given, the database errors it answers 503. */
const HTTP_MAY_IMPORT = new Set(['config/app-config.ts', 'config/config.service.ts', 'database/mongo-errors.ts']);

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') ? [path] : [];
  });
}

/** The folder under src/ a file sits in ('' for src/ itself). */
const folderOf = (file: string) => {
  const parts = relative(SRC, file).split(sep);
  return parts.length > 1 ? parts[0] : '';
};

/** Every import from one folder of src/ into another, as [from, to, importing file, imported file]. */
function crossFolderImports(): [string, string, string, string][] {
  return sources(SRC).flatMap((file) =>
    preProcessFile(readFileSync(file, 'utf8'))
      .importedFiles.map(({ fileName }) => fileName)
      .filter((name) => name.startsWith('.'))
      .map((name): [string, string, string, string] => {
        const imported = `${resolve(dirname(file), name)}.ts`;
        return [folderOf(file), folderOf(imported), file, relative(SRC, imported).split(sep).join('/')];
      })
      .filter(([from, to]) => from !== to && from !== '' && to !== ''),
  );
}

describe('imports between the folders of src/', () => {
  const imports = crossFolderImports();
  const graph = new Map<string, Set<string>>();
  for (const [from, to] of imports) graph.set(from, (graph.get(from) ?? new Set()).add(to));
  const reaches = (from: string, to: string, seen = new Set<string>()): boolean =>
    [...(graph.get(from) ?? [])].some((next) => next === to || (!seen.has(next) && reaches(next, to, seen.add(next))));

  it('finds the imports it checks', () => {
    expect(imports.length).toBeGreaterThan(50);
    expect(graph.get('webhooks')).toContain('http');
  });

  it('never climb back up: no folder imports one that imports it, even through others', () => {
    const climbing = imports
      .filter(([from, to]) => reaches(to, from))
      .map(([, to, file]) => `${relative(SRC, file)} → ${to}/`);
    expect(climbing).toEqual([]);
  });

  it('src/http/ imports no feature', () => {
    const fromHttp = imports.filter(([from]) => from === 'http').map(([, , , imported]) => imported);
    expect(fromHttp).toContain('config/app-config.ts');
    expect(fromHttp.filter((imported) => !HTTP_MAY_IMPORT.has(imported))).toEqual([]);
  });
});
