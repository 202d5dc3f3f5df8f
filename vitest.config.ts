import path from "node:path";

import { defineConfig } from "vitest/config";

const alias = { "@": path.resolve(import.meta.dirname) };

export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: "unit",
          environment: "node",
          include: ["**/*.test.ts"],
          exclude: ["**/*.integration.test.ts", "**/*.redis.test.ts", "node_modules/**", "e2e/**", ".next/**", "dist/**"],
        },
      },
      {
        resolve: { alias },
        test: {
          name: "integration",
          environment: "node",
          include: ["**/*.integration.test.ts"],
          // On PostgreSQL, less the dev-server test: it checks Next's development mode and HMR, which the database does not change (~40 s).
          exclude: ["node_modules/**", ".next/**", "dist/**", ...(process.env.TEST_DATABASE_URL_POSTGRES ? ["test/dev-server.integration.test.ts"] : [])],
          // Each file boots its own real server process; keep the two cores from thrashing.
          fileParallelism: false,
          // TEST_DATABASE_URL_POSTGRES switches the suite to PostgreSQL (test/support/database.ts).
          globalSetup: ["test/support/global-setup.ts"],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        resolve: { alias },
        test: {
          // Scale-out: real Redis (test/support/redis.ts) and, for server tests, PostgreSQL; `npm test` runs it with the PostgreSQL pass.
          name: "redis",
          environment: "node",
          include: ["**/*.redis.test.ts"],
          exclude: ["node_modules/**", ".next/**", "dist/**"],
          fileParallelism: false,
          globalSetup: ["test/support/global-setup.ts"],
          testTimeout: 60_000,
          hookTimeout: 90_000,
        },
      },
    ],
  },
});
