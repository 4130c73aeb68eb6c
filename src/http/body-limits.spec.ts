import { jsonEntriesProblem } from './body-limits';

const limits = { perContainer: 3, total: 5 };
const keys = (n: number) => JSON.stringify(Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, i])));
const items = (n: number) => JSON.stringify(Array.from({ length: n }, (_, i) => i));

describe('jsonEntriesProblem', () => {
  it.each([
    ['an empty object', '{}'],
    ['an empty array', ' [ ] '],
    ['as many keys as allowed', keys(3)],
    ['as many items as allowed', items(3)],
    ['commas and brackets inside strings', '{"a":"x,y,z,{[", "b":"\\",,,"}'],
    ['nested containers within the total', '{"a":[1,2],"b":{"c":1}}'],
    ['a scalar', '"a,b,c,d,e,f"'],
  ])('accepts %s', (_, text) => {
    expect(jsonEntriesProblem(text, limits)).toBeUndefined();
  });

  it('names an object with too many keys', () => {
    expect(jsonEntriesProblem(keys(4), limits)).toBe('The request body has an object with more than 3 keys');
  });

  it('names an array with too many items, nested too', () => {
    expect(jsonEntriesProblem(`{"a":${items(4)}}`, limits)).toBe('The request body has an array of more than 3 items');
  });

  it('names too many entries in all', () => {
    expect(jsonEntriesProblem('{"a":[1,2],"b":[3,4]}', limits)).toBe(
      'The request body has more than 5 keys and array items in all',
    );
  });

  it('counts empty containers as entries of their parent, not as entries of their own', () => {
    expect(jsonEntriesProblem('[[],[],{}]', limits)).toBeUndefined();
    expect(jsonEntriesProblem('[[],[],{},[]]', limits)).toBe('The request body has an array of more than 3 items');
  });

  it('stops at the first entry past a limit: 90,000 keys cost no more than a few', () => {
    const text = keys(90_000);
    const started = performance.now();
    expect(jsonEntriesProblem(text, { perContainer: 32, total: 256 })).toMatch(/more than 32 keys/);
    expect(performance.now() - started).toBeLessThan(5);
  });
});
