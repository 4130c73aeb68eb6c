import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { ClerkTestBed } from '../support/clerk-test-bed';
import { findOutsideTool, SCHEMATHESIS } from '../support/outside-tools';
import { nestedJson, signedDelivery } from '../support/payloads';
import { rawRequest, request } from '../support/http';

/**
 * Schemathesis generates requests from the service's own OpenAPI document (/docs/json), valid
 * and invalid, signed in as a real user: none may get a 5xx.
 */
const schemathesisPath = findOutsideTool(SCHEMATHESIS, 'test/fuzz.e2e-spec.ts');
const bed = ClerkTestBed.use('fuzz');
jest.setTimeout(240_000);

const describeWithSchemathesis = schemathesisPath ? describe : describe.skip;

/** A signed-in user's token, valid for the whole run. */
function signedInToken(): string {
  return bed.tokenFor(bed.putClerkUser().id, { exp: Math.floor(Date.now() / 1000) + 600 });
}

/** Bodies no generator from the schema makes: nested without bound, too large, very wide. */
const ODD_BODIES: [string, string][] = [
  ['nested 10,000 deep', nestedJson(10_000, 'objects')],
  ['nested 100,000 deep', nestedJson(100_000, 'arrays')],
  ['over 1 MiB', JSON.stringify({ favoriteColor: 'RED', padding: 'x'.repeat(1_100_000) })],
  ['100,000 keys', JSON.stringify(Object.fromEntries(Array.from({ length: 100_000 }, (_, i) => [`k${i}`, i])))],
  ['a 900 kB string', JSON.stringify({ favoriteColor: 'é'.repeat(450_000) })],
  ['duplicate keys', '{"favoriteColor":"RED","favoriteColor":{"$set":1}}'],
];

it('deep, huge and wide JSON bodies on every route and method of the OpenAPI document: no 5xx', async () => {
  const token = signedInToken();
  const spec = (await request(`${bed.app.url}/docs/json`)).body as { paths: Record<string, Record<string, unknown>> };
  const answers: string[] = [];
  for (const [path, methods] of Object.entries(spec.paths)) {
    for (const method of Object.keys(methods)) {
      for (const [label, body] of ODD_BODIES) {
        // Signed like a genuine delivery, so that the webhook route parses the body too.
        const delivery = signedDelivery(bed.secret, body);
        const headers = { ...delivery.headers, authorization: `Bearer ${token}` };
        const status = await rawRequest(`${bed.app.url}${path}`, { method: method.toUpperCase(), headers, body });
        answers.push(`${method.toUpperCase()} ${path} ${label}: ${status}`);
      }
    }
  }
  expect(answers.filter((answer) => /: 5\d\d$/.test(answer))).toEqual([]);
  expect(answers.length).toBe(
    Object.values(spec.paths).flatMap((methods) => Object.keys(methods)).length * ODD_BODIES.length,
  );
  expect((await request(`${bed.app.url}/health/ready`)).status).toBe(200);
});

it('the OpenAPI document declares every error answer with its body, and both ways to sign in', async () => {
  const spec = (await request(`${bed.app.url}/docs/json`)).body as {
    paths: Record<string, Record<string, { responses: Record<string, any>; security?: object[] }>>;
    components: { securitySchemes: Record<string, object> };
  };
  const errorRef = { $ref: '#/components/schemas/ErrorDto' };
  const errors = Object.entries(spec.paths).flatMap(([path, methods]) =>
    Object.entries(methods).flatMap(([method, operation]) =>
      Object.entries(operation.responses)
        .filter(([status]) => Number(status) >= 400)
        .map(([status, response]) => ({
          at: `${method} ${path} ${status}`,
          schema: response.content?.['application/json']?.schema,
        })),
    ),
  );
  expect(errors.filter(({ schema }) => JSON.stringify(schema) !== JSON.stringify(errorRef))).toEqual([]);
  expect(Object.keys(spec.paths['/me'].get.responses).sort()).toEqual(['200', '304', '401', '404', '502', '503']);
  expect(Object.keys(spec.paths['/user/favoriteColor'].get.responses)).toContain('502');
  expect(spec.paths['/me'].get.responses['503'].headers).toHaveProperty('Retry-After');
  expect(spec.components.securitySchemes).toMatchObject({
    bearer: { type: 'http', scheme: 'bearer' },
    __session: { type: 'apiKey', in: 'cookie', name: '__session' },
  });
  expect(spec.paths['/me'].get.security).toEqual(expect.arrayContaining([{ bearer: [] }, { __session: [] }]));
  expect(spec.paths['/metrics'].get.security).toEqual(expect.arrayContaining([{ metrics: [] }, {}]));
  expect(JSON.stringify(spec.paths['/webhooks/clerk'].post)).toContain('"required":["type"]');
});

describeWithSchemathesis('schemathesis fuzzing of the OpenAPI document', () => {
  it('no generated request gets a 5xx, and every answer conforms to the document', async () => {
    const token = signedInToken();
    const run = await promisify(execFile)(
      schemathesisPath!,
      [
        'run',
        `${bed.app.url}/docs/json`,
        '--checks',
        // No 5xx, and every answer as the document declares it: status, content type, body, headers.
        'not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance,response_headers_conformance',
        '--phases',
        'examples,coverage,fuzzing',
        '--max-examples',
        '150',
        '--max-time',
        '45',
        '--workers',
        '2',
        '--seed',
        '20261124',
        '--header',
        `Authorization: Bearer ${token}`,
        '--request-timeout',
        '10',
      ],
      { env: { ...process.env, NO_COLOR: '1', SCHEMATHESIS_TELEMETRY: 'false' }, maxBuffer: 64 * 1024 * 1024 },
    ).catch((error: { code: number; stdout: string; stderr: string }) => error);
    const output = `${run.stdout}\n${run.stderr}`;
    expect({ code: (run as { code?: number }).code ?? 0, output }).toEqual({
      code: 0,
      output: expect.stringMatching(/passed/i),
    });
    expect(output).not.toMatch(/Server error/i);
  });
});
