import { parseConfig } from '../config/config.schema';
import { logFormat } from './logger.options';

describe('logFormat', () => {
  const production = {
    NODE_ENV: 'production',
    CLERK_WEBHOOK_SIGNING_SECRET: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
    CLERK_SECRET_KEY: 'sk_live_x',
    MONGODB_URI: 'mongodb://db.internal:27017/users',
  };

  it('is pretty in development at a terminal, JSON when piped', () => {
    expect(logFormat(parseConfig({}), true)).toBe('pretty');
    expect(logFormat(parseConfig({}), false)).toBe('json');
  });

  it('is JSON in production, even at a terminal', () => {
    expect(logFormat(parseConfig(production), true)).toBe('json');
  });

  it('LOG_FORMAT decides when set', () => {
    expect(logFormat(parseConfig({ LOG_FORMAT: 'pretty' }), false)).toBe('pretty');
    expect(logFormat(parseConfig({ ...production, LOG_FORMAT: 'pretty' }), false)).toBe('pretty');
    expect(logFormat(parseConfig({ LOG_FORMAT: 'json' }), true)).toBe('json');
  });
});
