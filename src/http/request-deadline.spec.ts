import { Readable } from 'node:stream';
import Fastify, { FastifyInstance } from 'fastify';
import { limitHandlerTime } from './request-deadline';

const DEADLINE_MS = 150;
const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/** A real Fastify server with the deadline, on a loopback port; each route takes as long as it says. */
async function serverWith(
  routes: (fastify: FastifyInstance) => void,
): Promise<{ url: string; close: () => Promise<void> }> {
  const fastify = Fastify();
  limitHandlerTime(fastify, DEADLINE_MS);
  routes(fastify);
  const url = await fastify.listen({ port: 0, host: '127.0.0.1' });
  return { url, close: () => fastify.close() };
}

describe('limitHandlerTime', () => {
  let lateAnswers: PromiseSettledResult<unknown>[];
  let server: Awaited<ReturnType<typeof serverWith>>;

  beforeEach(async () => {
    lateAnswers = [];
    server = await serverWith((fastify) => {
      fastify.get('/fast', async () => ({ ok: true }));
      fastify.get('/stalled', async (_request, reply) => {
        await sleep(DEADLINE_MS * 3);
        // The handler answers after the deadline: Fastify drops it, nothing throws.
        lateAnswers.push(...(await Promise.allSettled([reply.send({ late: true })])));
        return reply;
      });
      // An answer that starts in time and takes longer than the deadline to stream.
      fastify.get('/streamed', async (_request, reply) => {
        const chunks = ['first,', 'second,', 'last'];
        const stream = new Readable({
          read() {
            const next = chunks.shift();
            if (next === undefined) this.push(null);
            else setTimeout(() => this.push(next), DEADLINE_MS);
          },
        });
        return reply.type('text/plain').send(stream);
      });
    });
  });

  afterEach(() => server.close());

  it('answers a handler that does not finish in time with 503, Retry-After and the error body', async () => {
    const started = Date.now();
    const response = await fetch(`${server.url}/stalled`);
    expect(response.status).toBe(503);
    expect(Date.now() - started).toBeLessThan(DEADLINE_MS * 3);
    expect(response.headers.get('retry-after')).toBe('5');
    expect(await response.json()).toEqual({
      statusCode: 503,
      error: 'Service Unavailable',
      message: 'The database did not answer within 0.15 s; try again later',
    });
    await sleep(DEADLINE_MS * 3);
    expect(lateAnswers).toHaveLength(1);
    expect(lateAnswers[0].status).toBe('fulfilled');
  });

  it('leaves an answer in time alone, and one still streaming when the deadline passes', async () => {
    expect(await (await fetch(`${server.url}/fast`)).json()).toEqual({ ok: true });
    const streamed = await fetch(`${server.url}/streamed`);
    expect(streamed.status).toBe(200);
    expect(await streamed.text()).toBe('first,second,last');
    // The server is still up, and answers.
    expect((await fetch(`${server.url}/fast`)).status).toBe(200);
  });
});
