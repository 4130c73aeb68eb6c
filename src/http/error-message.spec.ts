import { clientMessage, MAX_ERROR_MESSAGE } from './error-message';

describe('clientMessage', () => {
  it('leaves a message without a query as it is', () => {
    expect(clientMessage('Cannot GET /nowhere', '/nowhere')).toBe('Cannot GET /nowhere');
  });

  it('removes the query string a message echoes', () => {
    const url = '/nowhere?email=ada%40example.com&__session=eyJhbGciOi.x.y';
    expect(clientMessage(`Cannot GET ${url}`, url)).toBe('Cannot GET /nowhere');
  });

  it('removes a partial or decoded echo of the query too', () => {
    expect(clientMessage('Bad value at /x?email=ada@example.com', '/x?email=ada%40example.com')).toBe(
      'Bad value at /x',
    );
  });

  it(`cuts a message at ${MAX_ERROR_MESSAGE} characters`, () => {
    const message = clientMessage(`property ${'k,'.repeat(50_000)} should not exist`);
    expect(message).toHaveLength(MAX_ERROR_MESSAGE);
    expect(message.endsWith('…')).toBe(true);
  });
});
