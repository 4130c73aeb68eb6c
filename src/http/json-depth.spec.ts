import { jsonDepthExceeds } from './json-depth';

const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);

describe('jsonDepthExceeds', () => {
  it('counts objects and arrays inside one another', () => {
    expect(jsonDepthExceeds(nested(3), 3)).toBe(false);
    expect(jsonDepthExceeds(nested(4), 3)).toBe(true);
    expect(jsonDepthExceeds('{"a":{"b":[{"c":1}]}}', 4)).toBe(false);
    expect(jsonDepthExceeds('{"a":{"b":[{"c":[1]}]}}', 4)).toBe(true);
  });

  it('siblings do not add up', () => {
    expect(jsonDepthExceeds(`[${Array.from({ length: 1000 }, () => '[1]').join(',')}]`, 2)).toBe(false);
  });

  it('brackets inside strings, escaped quotes included, do not count', () => {
    expect(jsonDepthExceeds(`{"a":"${'['.repeat(100)}","b":"\\"${'{'.repeat(100)}"}`, 1)).toBe(false);
  });

  it('a body nested thousands deep is caught without recursion', () => {
    expect(jsonDepthExceeds(nested(100_000), 64)).toBe(true);
  });
});
