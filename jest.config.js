/** @type {import('jest').Config} */
module.exports = {
  // Node's, with each test's console output shown only when it fails (TEST_LOGS=1 shows all),
  // and no child processes in `npm run test:unit`.
  testEnvironment: '<rootDir>/__tests__/support/test-environment/quiet-node-environment.ts',
  // One DynamoDB Local, fauxqs and MariaDB per worker, started when a suite first asks
  // (__tests__/support/emulators/worker-emulators.ts) and stopped after the last suite.
  globalSetup: '<rootDir>/__tests__/support/emulators/global-setup.ts',
  globalTeardown: '<rootDir>/__tests__/support/emulators/global-teardown.ts',
  roots: ['<rootDir>/__tests__'],
  testMatch: ['**/*.test.ts'],
  moduleFileExtensions: ['ts', 'js', 'json', 'sql'],
  // Type checking is `npm run typecheck`; ts-jest only transpiles, which keeps the suite fast.
  transform: {
    '^.+\\.sql$': '<rootDir>/__tests__/support/sql-text-transform.js',
    // jose ships ES modules only, which jest's CommonJS runtime cannot load as they are.
    '^.+/node_modules/jose/.+\\.js$': ['ts-jest', { tsconfig: { module: 'commonjs', moduleResolution: 'node10', isolatedModules: true, allowJs: true } }],
    '^.+\\.ts$': ['ts-jest', { tsconfig: { module: 'commonjs', moduleResolution: 'node10', isolatedModules: true } }],
  },
  transformIgnorePatterns: ['/node_modules/(?!jose/)'],
  setupFilesAfterEnv: ['<rootDir>/setup.js'],
  testTimeout: 60000,
  // Jest's default on 2 cores is one worker; most suites spend their time waiting on
  // emulators, so two run side by side without starving each other (~2 min 10 s vs 2 min 40 s).
  maxWorkers: 2,
};
