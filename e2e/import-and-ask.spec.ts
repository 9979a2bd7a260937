import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test, type Page } from '@playwright/test';
import { causeway, hermeticEnv, requiredEnv } from './causewayServer.js';

const screenshots = fileURLToPath(new URL('./screenshots/', import.meta.url));

interface AnalyzeJson {
  root_causes: { service: string; kind: string }[];
  breakers: { service: string; breaker: string; transitions: unknown[] }[];
}


/** What the CLI concludes from the same files, loaded into a workspace of its own. */
async function expectedAnalysis(files: string[]): Promise<AnalyzeJson> {
  const db = join(requiredEnv('CAUSEWAY_E2E_WORKDIR'), 'expected.duckdb');
  const cliEnv = hermeticEnv(requiredEnv('CAUSEWAY_E2E_CONFIG_HOME'));
  await causeway(['ingest', ...files, '--db', db, '--json'], cliEnv);
  return JSON.parse(await causeway(['analyze', '--db', db, '--json'], cliEnv)) as AnalyzeJson;
}

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(screenshots, `${name}.png`), fullPage: false });
}

async function ask(page: Page, question: string) {
  await page.getByRole('textbox', { name: 'Ask a question' }).fill(question);
  await page.getByRole('button', { name: 'Ask', exact: true }).click();
  const turn = page.getByRole('article', { name: question });
  await expect(turn.getByText('Offline analyst', { exact: true })).toBeVisible();
  return turn;
}

test('import the demo incident through the UI, read the overview, ask in English and Chinese', async ({ page }) => {
  await mkdir(screenshots, { recursive: true });
  const files = JSON.parse(requiredEnv('CAUSEWAY_E2E_DEMO_FILES')) as string[];
  // The CLI's own reading of the same files, computed while the UI imports them.
  const expectedPending = expectedAnalysis(files);
  expectedPending.catch(() => undefined);

  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(requiredEnv('CAUSEWAY_E2E_URL'));
  await expect(page.getByRole('heading', { name: 'Data' })).toBeVisible();

  await test.step('import every demo file with the file picker', async () => {
    await page.getByLabel('Import files').setInputFiles(files);
    const bars = page.getByRole('progressbar');
    await expect(bars).toHaveCount(files.length);
    for (const bar of await bars.all()) await expect(bar).toHaveAttribute('aria-valuenow', '100');
    await expect(page.locator('.import-row.stage-failed')).toHaveCount(0);
    await expect(page.getByRole('list', { name: 'Loaded sources' }).getByRole('listitem')).toHaveCount(files.length);
    await expect(page.getByRole('status').filter({ hasText: 'Analysing' })).toHaveCount(0);
    // The map's chart library loads with the first chart: the picture waits for its nodes.
    await expect(page.getByRole('figure', { name: 'Service map' }).locator('svg text').first()).toBeVisible();
    await shot(page, '01-imported');
  });

  const expected = await expectedPending;
  const rootCause = expected.root_causes[0]?.service;
  expect(rootCause, 'the CLI names a root cause for the demo incident').toBeTruthy();

  await test.step('the overview shows services, breakers and the ranked root cause', async () => {
    const services = page.getByRole('table', { name: 'Services' });
    await expect(services).toBeVisible();
    await expect(services.getByRole('columnheader')).toHaveText(['Service', 'Requests', 'Errors', 'Timeouts', 'p50', 'p99']);
    await expect(services.getByRole('rowheader', { name: rootCause, exact: true })).toBeVisible();
    const breaker = expected.breakers.find((timeline) => timeline.transitions.length > 0);
    if (breaker) {
      const chart = page.getByRole('figure', { name: breaker.breaker, exact: true });
      await expect(chart).toBeVisible();
      await expect(chart.locator('svg path').first()).toBeAttached();
    }
    await expect(page.locator('.root-cause').first()).toContainText(rootCause ?? '');
    await shot(page, '02-overview');
  });

  await test.step('ask in English: the answer names the root cause, cites and charts', async () => {
    await page.getByRole('tab', { name: 'Ask' }).click();
    const turn = await ask(page, 'Why did payments fail?');
    await expect(turn.locator('.markdown')).toContainText(rootCause ?? '');
    await expect(turn.getByRole('list', { name: 'Citations' }).getByRole('button').first()).toBeVisible();
    await expect(turn.getByRole('figure').first().locator('svg, canvas').first()).toBeVisible();
    await shot(page, '03-answer-en');

    await turn.getByRole('list', { name: 'Citations' }).getByRole('button').first().click();
    const record = page.getByRole('dialog', { name: /Record/ });
    await expect(record).toBeVisible();
    await expect(record.locator('.record-body')).not.toContainText('Loading');
    await shot(page, '04-record');
    await record.getByRole('button', { name: 'Close record' }).click();
  });

  await test.step('ask in Chinese: the answer is in Chinese and names the same service', async () => {
    const turn = await ask(page, '为什么支付失败了?');
    const answer = turn.locator('.markdown');
    await expect(answer).toContainText(rootCause ?? '');
    await expect(answer).toContainText(/[\u4e00-\u9fff]/);
    await expect(turn.getByRole('list', { name: 'Citations' }).getByRole('button').first()).toBeVisible();
    await expect(turn.getByRole('figure').first().locator('svg, canvas').first()).toBeVisible();
    await shot(page, '05-answer-zh');
  });

  await test.step('the UI switches to 简体中文', async () => {
    await page.getByRole('tab', { name: 'Settings' }).click();
    await page.getByRole('combobox', { name: 'Language' }).selectOption('zh');
    await page.getByRole('tab', { name: '概览' }).click();
    await expect(page.getByRole('table', { name: '服务' })).toBeVisible();
    const topCause = page.locator('.root-cause').first();
    await expect(topCause.locator('.root-cause-summary')).toContainText(/[\u4e00-\u9fff]/);
    await expect(topCause.locator('.badge.kind')).toContainText(/[\u4e00-\u9fff]/);
    await shot(page, '06-overview-zh');
  });

  expect(pageErrors, 'no uncaught errors in the page').toEqual([]);
});
