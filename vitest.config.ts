import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'src/**/*.test.ts',
      'catalog/**/*.test.ts',
      'bench/**/*.test.ts',
      'scripts/**/*.test.ts',
      'web/**/*.test.ts',
      'apps/**/*.test.ts',
    ],
    // Two cores: files run in a few forks; database-heavy suites are not CPU-parallel anyway.
    pool: 'forks',
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
    testTimeout: 30_000,
    hookTimeout: 60_000,
    globalSetup: ['src/testing/global-setup.ts'],
  },
});
