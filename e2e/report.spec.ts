import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { expect, test } from '@playwright/test';
import { requiredEnv } from './causewayServer.js';
import { ensureIncidentLoaded } from './journeyHelpers.js';

const screenshots = fileURLToPath(new URL('./screenshots/', import.meta.url));


test('the report exports as one self-contained HTML file with the root cause, its charts and the conversation', async ({ page }) => {
  await mkdir(screenshots, { recursive: true });
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(requiredEnv('CAUSEWAY_E2E_URL'));
  await ensureIncidentLoaded(page);
  // A question asked before the export is part of the report.
  const question = 'Which circuit breakers opened?';
  await page.getByRole('tab', { name: 'Ask' }).click();
  await page.getByRole('textbox', { name: 'Ask a question' }).fill(question);
  await page.getByRole('button', { name: 'Ask', exact: true }).click();
  await expect(page.getByRole('article', { name: question }).getByText('Offline analyst', { exact: true })).toBeVisible();
  await page.getByRole('tab', { name: 'Overview' }).click();
  const topCause = (await page.locator('.root-cause-service').first().textContent())?.trim() ?? '';
  expect(topCause, 'the overview names a root cause').not.toBe('');

  const downloading = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export report as HTML' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^causeway-report-.*\.html$/);
  const saved = join(requiredEnv('CAUSEWAY_E2E_WORKDIR'), download.suggestedFilename());
  await download.saveAs(saved);
  const html = await readFile(saved, 'utf8');
  expect(html).toContain(topCause);
  expect(html).toContain(question);
  expect(html).toMatch(/<svg[\s>]/);
  expect(html).not.toMatch(/<script/i);

  const requests: string[] = [];
  page.on('request', (request) => {
    if (!request.url().startsWith('file:')) requests.push(request.url());
  });
  await page.goto(pathToFileURL(saved).href);
  await expect(page.getByRole('heading', { level: 1, name: 'Incident report' })).toBeVisible();
  await expect(page.locator('figure.chart svg').first()).toBeVisible();
  await page.screenshot({ path: join(screenshots, '3x-report.png'), fullPage: true });
  expect(requests, 'the report fetches nothing').toEqual([]);
  expect(pageErrors).toEqual([]);
});
