import { fileURLToPath } from 'node:url';
import { defineConfig } from '@playwright/test';

// `npm run test:desktop`: the Electron window. Not part of `npm test`; skips without the binary.
export default defineConfig({
  testDir: fileURLToPath(new URL('.', import.meta.url)),
  testMatch: ['desktop.spec.ts'],
  outputDir: fileURLToPath(new URL('./test-results', import.meta.url)),
  timeout: 180_000,
  expect: { timeout: 60_000 },
  workers: 1,
  reporter: [['list']],
});
