import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test, type Page } from '@playwright/test';
import { requiredEnv } from './causewayServer.js';
import { ensureIncidentLoaded } from './journeyHelpers.js';

const screenshots = fileURLToPath(new URL('./screenshots/', import.meta.url));

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(screenshots, `${name}.png`), fullPage: false });
}

test('search error traces, read a waterfall with its critical path, deadlines and orphans, follow it to its logs', async ({ page }) => {
  await mkdir(screenshots, { recursive: true });
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(requiredEnv('CAUSEWAY_E2E_URL'));
  await ensureIncidentLoaded(page);

  const results = page.getByRole('table', { name: 'Matching traces' });
  await test.step('search the traces whose call ran out of its deadline', async () => {
    await page.getByRole('tab', { name: 'Traces' }).click();
    await expect(page).toHaveURL(/[?&]tab=traces/);
    await page.getByLabel('Status').selectOption('error');
    await page.getByLabel('Attribute key=value').fill('rpc.grpc.status_code=4');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await expect(results.locator('tbody tr').first()).toBeVisible();
    await expect(results.locator('tbody tr').first()).toContainText('Error');
    await shot(page, '21-traces-search');
  });

  const waterfall = page.getByRole('list', { name: 'Waterfall' });
  let traceId = '';
  await test.step('open one: critical path, the deadline marker and the orphaned server span', async () => {
    await results.locator('tbody tr').first().click();
    await expect(page).toHaveURL(/[?&]trace=[0-9a-f]+/);
    traceId = new URL(page.url()).searchParams.get('trace')!;
    await expect(waterfall.locator('.waterfall-row').first()).toBeVisible();
    await expect(waterfall.locator('.waterfall-row.critical').first()).toBeVisible();
    await expect(waterfall.locator('.deadline-marker').first()).toBeVisible();
    const orphan = waterfall.locator('.waterfall-row.orphan');
    await expect(orphan.getByText('Orphan')).toBeVisible();
    await orphan.first().getByRole('button').click();
    const detail = page.locator('.span-detail');
    await expect(detail.getByText('Kept working after its caller gave up on the deadline')).toBeVisible();
    await expect(detail.getByRole('heading', { name: 'Attributes' })).toBeVisible();
    // The row draws the span at once; its attributes arrive on demand when it is selected.
    await expect(detail.locator('.attributes .attribute').first()).toBeVisible();
    await expect(detail.getByRole('heading', { name: 'Log lines' })).toBeVisible();
    await shot(page, '22-trace-waterfall');
  });

  await test.step('the trace link survives a reload', async () => {
    await page.reload();
    await expect(waterfall.locator('.waterfall-row.critical').first()).toBeVisible();
  });

  await test.step('its logs, and back from a log line to the trace', async () => {
    await waterfall.locator('.waterfall-row').first().getByRole('button').click();
    await page.getByRole('button', { name: 'Show all logs of this trace' }).click();
    await expect(page).toHaveURL(/[?&]tab=logs/);
    await expect(page.getByLabel('Trace id')).toHaveValue(traceId);
    const lines = page.getByRole('list', { name: 'Log lines' }).getByRole('listitem');
    await expect(lines.first()).toBeVisible();
    await shot(page, '23-logs-of-trace');
    await lines.first().getByRole('button', { name: 'Open trace' }).click();
    await expect(page).toHaveURL(new RegExp(`[?&]tab=traces.*trace=${traceId}|trace=${traceId}.*tab=traces`));
    await expect(waterfall.locator('.waterfall-row').first()).toBeVisible();
  });

  expect(pageErrors).toEqual([]);
});
