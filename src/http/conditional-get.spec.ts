import { entityTag, noneMatchHits } from './conditional-get';

describe('entityTag', () => {
  it('is a quoted tag that changes with any byte of the body and only then', () => {
    const tag = entityTag('{"firstName":"Ada"}');
    expect(tag).toMatch(/^"[A-Za-z0-9_-]{27}"$/);
    expect(entityTag('{"firstName":"Ada"}')).toBe(tag);
    expect(entityTag('{"firstName":"Ida"}')).not.toBe(tag);
    expect(entityTag(Buffer.from('{"firstName":"Ada"}'))).toBe(tag);
  });
});

describe('noneMatchHits', () => {
  const tag = '"abc"';
  it.each([
    [undefined, false],
    ['', false],
    ['"abc"', true],
    ['W/"abc"', true],
    ['"x", "abc"', true],
    ['"x",W/"abc"', true],
    ['*', true],
    ['"abcd"', false],
    ['abc', false],
  ])('%p → %p', (header, hit) => {
    expect(noneMatchHits(header, tag)).toBe(hit);
  });
});
