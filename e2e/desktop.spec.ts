import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { _electron as electron, expect, test } from '@playwright/test';
import { electronBinary } from './electronBinary.js';

const mainScript = fileURLToPath(new URL('../dist/main/electron/main.cjs', import.meta.url));
const screenshots = fileURLToPath(new URL('./screenshots/', import.meta.url));

const binary = electronBinary();
const skipReason =
  'missing' in binary
    ? `Desktop journey skipped: ${binary.missing}. Install it with network access (npx install-electron) to run it.`
    : !existsSync(mainScript)
      ? `Desktop journey skipped: ${mainScript} is not built (npm run build).`
      : null;
if (skipReason) console.log(skipReason);

test('the desktop window opens on the demo incident overview', async () => {
  test.skip(skipReason !== null, skipReason ?? '');
  if ('missing' in binary) return;
  const userData = await mkdtemp(join(tmpdir(), 'causeway-desktop-'));
  const app = await electron.launch({
    executablePath: binary.path,
    args: [mainScript],
    env: { ...process.env, CAUSEWAY_USER_DATA: userData },
  });
  try {
    const page = await app.firstWindow();
    await expect(page.getByRole('table', { name: 'Services' })).toBeVisible();
    await expect(page.getByRole('figure').first()).toBeVisible();
    await expect(page.getByText('Desktop', { exact: true })).toBeVisible();
    expect(await page.evaluate(() => typeof (globalThis as { require?: unknown }).require), 'no Node in the renderer').toBe('undefined');
    await mkdir(screenshots, { recursive: true });
    await page.screenshot({ path: join(screenshots, 'desktop-overview.png') });
  } finally {
    await app.close();
    await rm(userData, { recursive: true, force: true });
  }
});
