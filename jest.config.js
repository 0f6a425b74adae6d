// Jest runs TypeScript as ESM through ts-jest (see ../shared/notes/toolchain.md):
// the npm script passes --experimental-vm-modules, and `.js` specifiers map back to `.ts`.
export default {
  preset: 'ts-jest/presets/default-esm',
  testEnvironment: 'node',
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }] },
  testMatch: ['<rootDir>/src/**/*.test.ts', '<rootDir>/test/**/*.test.ts'],
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  maxWorkers: 2,
  // A worker's heap grows with every ESM test file it runs (1.1–1.3 GB by the end of a full
  // run); one past 512 MB after a file is replaced by a fresh one. Tearing down a large worker
  // took ~550 ms on a 2-vCPU VM, past jest's 500 ms grace, and jest then reported it as
  // "failed to exit gracefully" although it had no open handles; the grace is 5 s, so a worker
  // that truly leaks a handle is still reported.
  workerIdleMemoryLimit: '512MB',
  workerGracefulExitTimeout: 5000,
  testTimeout: 30000,
};
