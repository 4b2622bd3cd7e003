import { MissingEnvironmentVariableError, requireEnv } from '../../../functions/shared/require-env';

describe('requireEnv', () => {
  it('returns the value as set', () => {
    expect(requireEnv('TABLE_NAME', { TABLE_NAME: 'orders' })).toBe('orders');
  });

  it.each([
    ['unset', {}],
    ['empty', { TABLE_NAME: '' }],
    ['blank', { TABLE_NAME: '  ' }],
  ])('names the variable when it is %s', (_case, env: NodeJS.ProcessEnv) => {
    expect(() => requireEnv('TABLE_NAME', env)).toThrow(MissingEnvironmentVariableError);
    expect(() => requireEnv('TABLE_NAME', env)).toThrow(/Missing required environment variable TABLE_NAME/);
  });

  it('reads process.env by default', () => {
    process.env.REQUIRE_ENV_PROBE = 'set';
    try {
      expect(requireEnv('REQUIRE_ENV_PROBE')).toBe('set');
    } finally {
      delete process.env.REQUIRE_ENV_PROBE;
    }
  });
});
