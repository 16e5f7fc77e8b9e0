import { defineConfig } from "vitest/config";

// Separate from vite.config.ts: the React Router plugin is for the app build, not for tests.
export default defineConfig({
  test: {
    include: ["domain/**/*.test.ts", "messages/**/*.test.ts", "features/**/*.test.ts", "forecasting/**/*.test.ts", "files/**/*.test.ts", "test/**/*.test.ts"],
    globalSetup: ["test/global-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
