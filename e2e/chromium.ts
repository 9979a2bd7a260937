import { existsSync } from 'node:fs';
import type { LaunchOptions } from '@playwright/test';

/**
 * A system Chromium when there is one (no browser download needed), with the switches that keep
 * it quiet and working inside containers; otherwise Playwright's own browser.
 */
export function chromiumLaunchOptions(): LaunchOptions {
  const executablePath = process.env.CAUSEWAY_CHROMIUM ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);
  return {
    ...(executablePath ? { executablePath } : {}),
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  };
}
