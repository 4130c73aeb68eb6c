import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { HANDLED_EVENT_TYPES } from '../../src/clerk/clerk-event.schema';

/**
 * The documentation a newcomer reads: a short README that maps docs/, links that lead somewhere,
 * and a reference that names every variable and event type the service knows.
 */
const root = resolve(__dirname, '../..');
const read = (path: string) => readFileSync(join(root, path), 'utf8');
const userDocs = [
  'README.md',
  ...readdirSync(join(root, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens. */
const slug = (heading: string) =>
  heading
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');

function anchorsOf(text: string): Set<string> {
  const headings = [...text.matchAll(/^#{1,6} (.+)$/gm)].map((match) => slug(match[1]));
  const explicit = [...text.matchAll(/<a id="([^"]+)"/g)].map((match) => match[1]);
  return new Set([...headings, ...explicit]);
}

it('the README is at most 200 lines and links the guides and the React example', () => {
  const readme = read('README.md');
  expect(readme.split('\n').length).toBeLessThanOrEqual(200);
  for (const target of ['docs/reference.md', 'docs/frontend.md', 'docs/operations.md', 'docs/architecture.md']) {
    expect(readme).toContain(`](${target}`);
  }
  expect(readme).toContain('](docs/performance.md)');
  expect(readme).toContain('](examples/react)');
  expect(readme).toContain('npm test');
});

it('every relative link in the README and docs/ leads to a file, and to a heading when it names one', () => {
  const broken: string[] = [];
  for (const doc of userDocs) {
    for (const [, target] of read(doc).matchAll(/\]\(([^)\s]+)\)/g)) {
      if (/^[a-z]+:/.test(target)) continue;
      const [path, anchor] = target.split('#');
      const file = path ? join(dirname(join(root, doc)), path) : join(root, doc);
      if (!existsSync(file)) broken.push(`${doc}: ${target}`);
      else if (anchor && file.endsWith('.md') && !anchorsOf(readFileSync(file, 'utf8')).has(anchor)) {
        broken.push(`${doc}: ${target} (no such heading)`);
      }
    }
  }
  expect(broken).toEqual([]);
});

it('the docs speak to users: no issue, no outside test, no internal contract', () => {
  for (const doc of userDocs) {
    const text = read(doc);
    expect({
      doc,
      hits: text.match(/\bissues? #?\d+|\bthe \w+ issue\b|outside tests?|tests outside|CONTRACT\.md/gi),
    }).toEqual({
      doc,
      hits: null,
    });
  }
});

it('the reference names every variable of .env.example, every handled event type and the clock skew', () => {
  const reference = read('docs/reference.md');
  const operations = read('docs/operations.md');
  const variables = [...read('.env.example').matchAll(/^([A-Z][A-Z0-9_]+)=/gm)].map((match) => match[1]);
  // NODE_ENV and the tunnel's token belong to how it is run, not to the service's contract.
  const served = variables.filter((name) => !['NODE_ENV', 'NGROK_AUTHTOKEN'].includes(name));
  expect(served.filter((name) => !reference.includes(`\`${name}\``))).toEqual([]);
  expect(served.filter((name) => !operations.includes(`\`${name}\``))).toEqual([]);
  expect(HANDLED_EVENT_TYPES.filter((type) => !reference.includes(`\`${type}\``))).toEqual([]);
  expect(reference).toMatch(/5 s clock skew/);
});
