import { defineConfig } from 'vitest/config';

// Unit tests sit beside the code (*.test.ts); integration tests over the virtual rig are
// *.int.test.ts and get longer timeouts. Both run in `npm test`.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['{gateway,drivers,rules,provisioning,hil-tests,bench}/**/*.test.ts'],
          exclude: ['**/*.int.test.ts', 'node_modules/**', 'dist/**'],
          testTimeout: 10_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['{gateway,drivers,rules,provisioning,hil-tests,bench}/**/*.int.test.ts'],
          exclude: ['node_modules/**', 'dist/**'],
          testTimeout: 120_000,
          hookTimeout: 60_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
