import { fileURLToPath } from 'node:url';
import { defineConfig } from '@playwright/test';
import { chromiumLaunchOptions } from './chromium.js';

// `npm run test:e2e`: the browser journeys against `causeway serve` (see globalSetup.ts).
export default defineConfig({
  testDir: fileURLToPath(new URL('.', import.meta.url)),
  testMatch: ['import-and-ask.spec.ts', 'settings-and-links.spec.ts', 'traces-and-logs.spec.ts', 'report.spec.ts', 'overview-and-compare.spec.ts', 'big-waterfall.spec.ts'],
  outputDir: fileURLToPath(new URL('./test-results', import.meta.url)),
  globalSetup: fileURLToPath(new URL('./globalSetup.ts', import.meta.url)),
  timeout: 240_000,
  expect: { timeout: 60_000 },
  workers: 1,
  fullyParallel: false,
  retries: 0,
  reporter: [['list']],
  use: {
    browserName: 'chromium',
    launchOptions: chromiumLaunchOptions(),
    viewport: { width: 1440, height: 900 },
    locale: 'en-US',
    timezoneId: 'UTC',
    trace: 'retain-on-failure',
  },
});
