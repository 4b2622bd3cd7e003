import {
  InvalidEnvironmentVariableError,
  MissingEnvironmentVariableError,
  requireEnv,
  requireIntegerEnv,
} from '../../../functions/shared/require-env';

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

describe('requireIntegerEnv', () => {
  it('returns the number', () => {
    expect(requireIntegerEnv('LOW_STOCK_THRESHOLD', 0, { LOW_STOCK_THRESHOLD: ' 5 ' })).toBe(5);
    expect(requireIntegerEnv('LOW_STOCK_THRESHOLD', 0, { LOW_STOCK_THRESHOLD: '0' })).toBe(0);
  });

  it.each(['5.5', '-1', 'five', '1e3', '99999999999999999999'])('refuses %s, naming the variable and the rule', (value) => {
    expect(() => requireIntegerEnv('LOW_STOCK_THRESHOLD', 0, { LOW_STOCK_THRESHOLD: value })).toThrow(InvalidEnvironmentVariableError);
    expect(() => requireIntegerEnv('LOW_STOCK_THRESHOLD', 0, { LOW_STOCK_THRESHOLD: value })).toThrow(
      /LOW_STOCK_THRESHOLD=".*" must be a whole number of at least 0/,
    );
  });

  it('treats an unset variable as missing', () => {
    expect(() => requireIntegerEnv('MAX_FILE_BYTES', 1, {})).toThrow(MissingEnvironmentVariableError);
  });
});
