import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { requiredEnv } from './causewayServer.js';
import { ensureIncidentLoaded } from './journeyHelpers.js';

const screenshots = fileURLToPath(new URL('./screenshots/', import.meta.url));

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(screenshots, `${name}.png`), fullPage: false });
}

/** Relative luminance (0 dark … 1 light) of an SVG fill such as `#e3e7ee` or `rgb(227,231,238)`. */
function luminance(color: string): number {
  const hex = /^#([0-9a-f]{6})$/i.exec(color.trim());
  const channels = hex
    ? [0, 2, 4].map((at) => parseInt(hex[1]!.slice(at, at + 2), 16))
    : (/rgba?\(([^)]+)\)/.exec(color)?.[1] ?? '').split(',').slice(0, 3).map(Number);
  const [r, g, b] = channels.map((value) => value / 255);
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

/** The fills of a chart's axis labels (its SVG text), as luminances. */
async function labelLuminances(figure: Locator): Promise<number[]> {
  const fills = await figure.locator('svg text').evaluateAll((texts) => texts.map((text) => text.getAttribute('fill') ?? ''));
  return fills.filter((fill) => fill && fill !== 'none').map(luminance);
}

test('the service map, deadline findings, a click through to a service’s traces, two traces compared, both themes', async ({ page }) => {
  await mkdir(screenshots, { recursive: true });
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.emulateMedia({ colorScheme: 'light' });
  await page.goto(requiredEnv('CAUSEWAY_E2E_URL'));
  await ensureIncidentLoaded(page);

  const map = page.getByRole('figure', { name: 'Service map' });
  const rootCause = (await page.locator('.root-cause-service').first().textContent())!.trim();

  await test.step('the service map: every service a node, a legend for nodes and edges', async () => {
    await expect(map.locator('svg')).toBeVisible();
    const services = await page.getByRole('table', { name: 'Services' }).locator('tbody th').allTextContents();
    for (const service of services) await expect(map.locator('svg text').filter({ hasText: new RegExp(`^${service}$`) })).toHaveCount(1);
    const legend = page.getByRole('group', { name: /^Service map: / });
    for (const entry of ['Ranked first root cause', 'Error rate 5% or more', 'No errors', 'Breaker opened on this call', 'Timeouts']) {
      await expect(legend.getByText(entry, { exact: true }).first()).toBeVisible();
    }
    await map.scrollIntoViewIfNeeded();
    await shot(page, '41-service-map');
  });

  await test.step('deadline findings, each example span opening its record', async () => {
    const findings = page.getByRole('region', { name: 'Deadline findings' });
    await expect(findings.getByRole('heading', { name: 'Deadline findings' })).toBeVisible();
    const examples = findings.getByRole('list', { name: /^Example spans: / });
    await expect(examples.first()).toBeVisible();
    await findings.scrollIntoViewIfNeeded();
    await shot(page, '42-deadline-findings');
    await examples.first().getByRole('button').first().click();
    const record = page.getByRole('dialog', { name: /Record/ });
    await expect(record).toBeVisible();
    await expect(page).toHaveURL(/[?&]record=span%3A/);
    await page.keyboard.press('Escape');
    await expect(record).toBeHidden();
  });

  await test.step('a click on the root cause node shows that service’s traces', async () => {
    await map.locator('svg text').filter({ hasText: new RegExp(`^${rootCause}$`) }).click();
    await expect(page).toHaveURL(/[?&]tab=traces/);
    expect(new URL(page.url()).searchParams.get('service')).toBe(rootCause);
    await expect(page.getByRole('textbox', { name: 'Service' })).toHaveValue(rootCause);
    const results = page.getByRole('table', { name: 'Matching traces' });
    await expect(results.locator('tbody tr').first()).toBeVisible();
    for (const services of await results.locator('tbody tr td:nth-child(5)').allTextContents()) expect(services.split(', ')).toContain(rootCause);
    await shot(page, '43-service-traces');
    await page.getByRole('button', { name: 'All services' }).click();
    await expect(page).not.toHaveURL(/[?&]service=/);
    await expect(page.getByRole('textbox', { name: 'Service' })).toHaveValue('');
  });

  await test.step('compare a failing trace with a typical successful one of the same operation', async () => {
    await page.getByRole('textbox', { name: 'Service' }).fill('');
    await page.getByLabel('Status').selectOption('error');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    const results = page.getByRole('table', { name: 'Matching traces' });
    await expect(results.locator('tbody tr').first()).toContainText('Error');
    await results.locator('tbody tr').first().click();
    await expect(page.getByRole('list', { name: 'Waterfall' }).getByRole('listitem').first()).toBeVisible();
    await page.getByRole('button', { name: 'Compare with a normal trace' }).click();
    await expect(page).toHaveURL(/[?&]compare=[0-9a-f]+/);
    const comparison = page.getByRole('list', { name: 'Trace comparison' });
    await expect(comparison.getByRole('listitem').first()).toBeVisible();
    await expect(page.getByRole('status').filter({ hasText: 'matched' })).toBeVisible();
    const matched = Number((await page.getByRole('status').filter({ hasText: 'matched' }).textContent())!.trim().split(' ')[0]);
    expect(matched, 'the root operation at least is in both').toBeGreaterThanOrEqual(1);
    await shot(page, '44-trace-compare');

    const link = new URL(page.url());
    await page.reload();
    await expect(comparison.getByRole('listitem').first()).toBeVisible();
    await page.getByRole('button', { name: 'Swap' }).click();
    const swapped = new URL(page.url());
    expect(swapped.searchParams.get('trace')).toBe(link.searchParams.get('compare'));
    expect(swapped.searchParams.get('compare')).toBe(link.searchParams.get('trace'));
    await page.getByRole('button', { name: 'Close comparison' }).click();
    await expect(comparison).toBeHidden();
    await expect(page).not.toHaveURL(/compare=/);
  });

  await test.step('the row button compares any listed trace with the open one', async () => {
    const results = page.getByRole('table', { name: 'Matching traces' });
    const other = results.locator('tbody tr').filter({ has: page.getByRole('button', { name: 'Compare with the open trace' }) }).first();
    await other.getByRole('button', { name: 'Compare with the open trace' }).click();
    await expect(page).toHaveURL(/[?&]compare=[0-9a-f]+/);
    await expect(page.getByRole('list', { name: 'Trace comparison' }).getByRole('listitem').first()).toBeVisible();
  });

  await test.step('charts are readable in both themes', async () => {
    await page.getByRole('tab', { name: 'Overview' }).click();
    const events = page.getByRole('figure', { name: 'Resilience events per minute' });
    await expect(events.locator('svg text').first()).toBeVisible();
    const light = await labelLuminances(events);
    expect(light.length).toBeGreaterThan(0);
    expect(Math.max(...light), 'dark labels on the light theme').toBeLessThan(0.5);
    await map.scrollIntoViewIfNeeded();
    await shot(page, '45-overview-light');

    await page.getByRole('tab', { name: 'Settings' }).click();
    await page.getByRole('radio', { name: 'Dark' }).check();
    await page.getByRole('tab', { name: 'Overview' }).click();
    await expect.poll(async () => Math.min(...(await labelLuminances(events))), { message: 'light labels on the dark theme' }).toBeGreaterThan(0.5);
    await expect.poll(async () => Math.min(...(await labelLuminances(map))), { message: 'light node labels on the dark theme' }).toBeGreaterThan(0.5);
    await map.scrollIntoViewIfNeeded();
    await shot(page, '46-overview-dark');
    await events.scrollIntoViewIfNeeded();
    await shot(page, '47-charts-dark');
  });

  expect(pageErrors, 'no uncaught errors in the page').toEqual([]);
});
