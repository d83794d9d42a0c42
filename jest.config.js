// Tiers, selected with --selectProjects: unit (pure logic, next to the code), integration (real
// Kafka + MongoDB-protocol server), e2e (HTTP against running apps), chaos (fault injection).
// ts-jest in transpile-only mode: type errors are the typecheck step's job, tests stay fast.
const transform = {
  '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }],
};
const libs = [
  'config',
  'contracts',
  'health',
  'http',
  'messaging',
  'platform',
  'storage',
  'telemetry',
  'model',
  'model-training',
  'recsys',
];
const moduleNameMapper = {
  // The entry main.ts imports first, so it loads nothing Nest-related before the SDK starts.
  '^@kairos/telemetry/bootstrap$': '<rootDir>/libs/telemetry/src/bootstrap',
  ...Object.fromEntries(libs.map((lib) => [`^@kairos/${lib}$`, `<rootDir>/libs/${lib}/src`])),
};
// onnxruntime-node's native results must pass its own typed-array checks inside jest's realm.
const setupFiles = ['<rootDir>/test/support/node-realm-typed-arrays.ts'];
const shared = {
  rootDir: __dirname,
  transform,
  moduleNameMapper,
  setupFiles,
  testEnvironment: 'node',
};

module.exports = {
  projects: [
    {
      ...shared,
      displayName: 'unit',
      testMatch: [
        '<rootDir>/apps/**/*.spec.ts',
        '<rootDir>/libs/**/*.spec.ts',
        '<rootDir>/test/unit/**/*.spec.ts',
        '<rootDir>/test/compose/**/*.spec.ts',
        '<rootDir>/bench/**/*.spec.ts',
      ],
    },
    {
      ...shared,
      displayName: 'integration',
      testMatch: ['<rootDir>/test/integration/**/*.int-spec.ts'],
      setupFilesAfterEnv: ['<rootDir>/test/support/slow-tests.setup.ts'],
    },
    {
      ...shared,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/e2e/**/*.e2e-spec.ts'],
      setupFilesAfterEnv: ['<rootDir>/test/support/slow-tests.setup.ts'],
    },
    {
      // Fault injection on the real stack (npm run test:chaos): kills, restarts of Kafka and
      // MongoDB, poison pills, rebalances, bad models. Restarts the services scripts/infra runs.
      ...shared,
      displayName: 'chaos',
      testMatch: ['<rootDir>/test/chaos/**/*.chaos-spec.ts'],
      setupFilesAfterEnv: ['<rootDir>/test/support/slow-tests.setup.ts'],
    },
  ],
};
