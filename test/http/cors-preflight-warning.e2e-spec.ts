import { ClerkTestBed } from '../support/clerk-test-bed';
import { request } from '../support/http';
import { waitForOutput } from '../support/service-process';

/** A CORS preflight from an origin CORS_ORIGINS does not list is logged once per origin, naming the variable. */
const FRONTEND = 'http://localhost:5173';
const bed = ClerkTestBed.use('cors_warning', { CORS_ORIGINS: FRONTEND }, { process: true });

const preflight = (origin: string) =>
  request(`${bed.url}/me`, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' },
  });

const warningsFor = (origin: string) =>
  bed.service.logLines().filter((line) => line.level === 40 && String(line.msg).includes(JSON.stringify(origin)));

it('warns once per origin, naming the origin and CORS_ORIGINS; a listed origin is not warned about', async () => {
  const stranger = 'https://app.example.com';
  for (let i = 0; i < 3; i++) {
    const answer = await preflight(stranger);
    expect(answer.headers.get('access-control-allow-origin')).toBeNull();
  }
  expect((await preflight(FRONTEND)).headers.get('access-control-allow-origin')).toBe(FRONTEND);
  await waitForOutput(bed.service, /CORS preflight from origin/);
  await new Promise((resolve) => setTimeout(resolve, 300));
  const [warning, ...more] = warningsFor(stranger);
  expect(more).toEqual([]);
  expect(warning.msg).toMatch(/CORS_ORIGINS/);
  expect(warningsFor(FRONTEND)).toEqual([]);
});
