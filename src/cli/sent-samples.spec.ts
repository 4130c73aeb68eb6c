import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { continueSample, SentSamples } from './sent-samples';

const emails = (address: string) => [{ id: 'idn_ada_0', object: 'email_address', email_address: address }];
const created = {
  id: 'user_ada',
  email_addresses: emails('ada@example.com'),
  primary_email_address_id: 'idn_ada_0',
  first_name: 'Augusta',
  last_name: 'King',
  created_at: 1_000,
  updated_at: 1_000,
};
const fresh = {
  ...created,
  email_addresses: emails('ada@newmail.example'),
  first_name: 'Ada',
  last_name: 'Lovelace',
  created_at: 5_000,
  updated_at: 5_000,
};

describe('continueSample', () => {
  it('changes only the fields of the options given, and keeps the names and created_at', () => {
    const next = continueSample(created, fresh, ['email']);
    expect(next).toMatchObject({ first_name: 'Augusta', last_name: 'King', created_at: 1_000, updated_at: 5_000 });
    expect(next.email_addresses).toEqual(fresh.email_addresses);
  });

  it('moves updated_at past the last one, even when the clock says otherwise', () => {
    expect(continueSample({ ...created, updated_at: 9_000 }, fresh, []).updated_at).toBe(9_001);
  });

  it('with nothing sent before, the fresh sample is sent as it is', () => {
    expect(continueSample(undefined, fresh, ['email'])).toBe(fresh);
  });

  it('a name option changes that name alone', () => {
    expect(continueSample(created, fresh, ['first-name'])).toMatchObject({ first_name: 'Ada', last_name: 'King' });
  });
});

describe('SentSamples', () => {
  it('remembers and forgets by id across instances, and starts empty from an unreadable file', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'sent-samples-')), 'nested', 'sent.json');
    new SentSamples(path).remember('user_ada', created);
    expect(new SentSamples(path).lastSent('user_ada')).toEqual(created);
    new SentSamples(path).remember('user_ada', undefined);
    expect(new SentSamples(path).lastSent('user_ada')).toBeUndefined();
    writeFileSync(path, 'not json');
    expect(new SentSamples(path).lastSent('user_ada')).toBeUndefined();
  });
});
