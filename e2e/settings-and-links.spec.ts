import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test, type Page, type Route } from '@playwright/test';
import { requiredEnv } from './causewayServer.js';
import { ensureIncidentLoaded } from './journeyHelpers.js';

const screenshots = fileURLToPath(new URL('./screenshots/', import.meta.url));
/** Nothing listens on the discard port, so the model endpoint fails at once. */
const DEAD_ENDPOINT = 'http://127.0.0.1:9/v1';

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(screenshots, `${name}.png`), fullPage: false });
}


test('settings, deep links, keyboard, the dark theme and the Chinese UI', async ({ page }) => {
  await mkdir(screenshots, { recursive: true });
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  const theme = () => page.locator('html').getAttribute('data-theme');

  await page.emulateMedia({ colorScheme: 'dark' });
  await page.goto(requiredEnv('CAUSEWAY_E2E_URL'));
  expect(await theme(), 'the system preference decides until the user chooses').toBe('dark');
  await page.emulateMedia({ colorScheme: 'light' });
  await expect.poll(theme).toBe('light');
  await ensureIncidentLoaded(page);

  await test.step('settings: a bad URL is refused inline, a good one is saved and survives a reload', async () => {
    await page.getByRole('tab', { name: 'Settings' }).click();
    await expect(page).toHaveURL(/[?&]tab=settings/);
    const baseUrl = page.getByRole('textbox', { name: 'Base URL' });
    await baseUrl.fill('not a url');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect(page.getByRole('alert')).toContainText('not a URL');
    await expect(baseUrl).toHaveAttribute('aria-invalid', 'true');

    await baseUrl.fill(DEAD_ENDPOINT);
    await page.getByRole('textbox', { name: 'Model' }).fill('e2e-model');
    const apiKey = page.getByLabel('API key');
    await expect(apiKey).toHaveAttribute('type', 'password');
    await apiKey.fill('sk-e2e-never-shown');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Saved.' })).toBeVisible();
    await expect(page.getByText('A key is stored.')).toBeVisible();
    await expect(apiKey).toHaveValue('');
    await shot(page, '11-settings');

    await page.reload();
    await expect(page.getByRole('tab', { name: 'Settings' })).toHaveAttribute('aria-selected', 'true');
    await expect(page.getByRole('textbox', { name: 'Base URL' })).toHaveValue(DEAD_ENDPOINT);
    await expect(page.getByRole('textbox', { name: 'Model' })).toHaveValue('e2e-model');
    await expect(page.getByText('A key is stored.')).toBeVisible();
    expect(await page.content(), 'the key never comes back to the page').not.toContain('sk-e2e-never-shown');
    await page.getByRole('button', { name: 'Remove key' }).click();
    await expect(page.getByText('No key stored.')).toBeVisible();
  });

  const question = 'Why did payments fail?';
  await test.step('ask: "/" focuses the question; the dead endpoint falls back to the offline analyst, which says why', async () => {
    await page.getByRole('tab', { name: 'Ask' }).click();
    await page.keyboard.press('/');
    const box = page.getByRole('textbox', { name: 'Ask a question' });
    await expect(box).toBeFocused();
    await page.keyboard.type(question);
    await page.keyboard.press('Enter');
    const turn = page.getByRole('article', { name: question }).last();
    await expect(turn.getByText('Offline analyst', { exact: true })).toBeVisible();
    await expect(turn.getByText(/The configured model was not used/)).toBeVisible();
    const note = (await turn.locator('.fallback-note').textContent()) ?? '';
    const reason = note.slice(note.indexOf(':') + 1).trim();
    expect(reason, 'the note names why the model was not used').not.toBe('');
    await expect(turn.getByText(reason), 'the reason is given once, not again at the top of the answer').toHaveCount(1);
    await shot(page, '12-fallback');

    await page.reload();
    const history = page.getByRole('navigation', { name: 'Earlier questions' });
    await expect(history.getByRole('button', { name: question })).toBeVisible();
  });

  await test.step('Cancel stops waiting for a pending answer and tells the backend which ask to stop', async () => {
    // The ask is held in the network so that it is still pending whatever the machine's speed.
    const held: Route[] = [];
    await page.route('**/api/rpc/ask', (route) => void held.push(route));
    await page.getByRole('textbox', { name: 'Ask a question' }).fill('Which circuit breakers opened, and when?');
    const askRequest = page.waitForRequest('**/api/rpc/ask');
    await page.getByRole('button', { name: 'Ask', exact: true }).click();
    const askedId = ((await askRequest).postDataJSON() as { args: [{ ask_id: string }] }).args[0].ask_id;
    const cancelRequest = page.waitForRequest('**/api/rpc/cancelAsk');
    await page.getByRole('button', { name: 'Cancel' }).click();
    expect((await cancelRequest).postDataJSON()).toEqual({ args: [askedId] });
    const turn = page.getByRole('article', { name: 'Which circuit breakers opened, and when?' });
    await expect(turn.getByText('Cancelled.')).toBeVisible();
    await expect(page.getByRole('button', { name: 'Ask', exact: true })).toBeVisible();
    for (const route of held) await route.abort();
    await page.unroute('**/api/rpc/ask');
  });

  await test.step('a record deep link survives a reload; Esc closes it; back and forward walk the history', async () => {
    await page.getByRole('tab', { name: 'Overview' }).click();
    const evidence = page.getByRole('list', { name: /^Evidence: / }).first();
    await evidence.getByRole('button').first().focus();
    await page.keyboard.press('ArrowDown');
    await expect(evidence.getByRole('button').nth(1)).toBeFocused();
    await page.keyboard.press('Enter');
    const record = page.getByRole('dialog', { name: /Record/ });
    await expect(record).toBeVisible();
    await expect(page).toHaveURL(/[?&]record=/);
    const deepLink = page.url();

    await page.reload();
    await expect(record).toBeVisible();
    await expect(record.locator('.record-body')).not.toContainText('Loading');
    await expect(page.getByRole('tab', { name: 'Overview' })).toHaveAttribute('aria-selected', 'true');
    await expect(page.getByRole('table', { name: 'Services' })).toBeVisible();
    await shot(page, '13-deep-link');

    await page.keyboard.press('Escape');
    await expect(record).toBeHidden();
    await expect(page).not.toHaveURL(/record=/);
    await page.goBack();
    await expect(record).toBeVisible();
    expect(page.url()).toBe(deepLink);
    await page.goForward();
    await expect(record).toBeHidden();
  });

  await test.step('the dark theme is chosen in settings and kept across a reload', async () => {
    await page.getByRole('tab', { name: 'Settings' }).click();
    await page.getByRole('radio', { name: 'Dark' }).check();
    await expect.poll(theme).toBe('dark');
    await page.reload();
    await expect.poll(theme).toBe('dark');
    // Every channel of the page's background below 80: dark, whichever shade the stylesheet picks.
    await expect(page.locator('html')).toHaveCSS('background-color', /^rgb\([1-7]?\d, [1-7]?\d, [1-7]?\d\)$/);
    await shot(page, '14-settings-dark');
    await page.getByRole('tab', { name: 'Overview' }).click();
    await expect(page.getByRole('table', { name: 'Services' })).toBeVisible();
    // The map's chart library loads with the first chart: the picture waits for its nodes.
    await expect(page.getByRole('figure', { name: 'Service map' }).locator('svg text').first()).toBeVisible();
    await shot(page, '15-overview-dark');
  });

  await test.step('the UI in 简体中文', async () => {
    await page.getByRole('tab', { name: 'Settings' }).click();
    await page.getByRole('combobox', { name: 'Language' }).selectOption('zh');
    await expect(page.getByRole('tab', { name: '设置' })).toHaveAttribute('aria-selected', 'true');
    await expect(page.getByRole('heading', { name: '语言模型' })).toBeVisible();
    await expect(page.getByRole('textbox', { name: '接口地址(Base URL)' })).toHaveValue(DEAD_ENDPOINT);
    await shot(page, '16-settings-zh');
    await page.getByRole('tab', { name: '提问' }).click();
    await expect(page.getByRole('textbox', { name: '提出问题' })).toBeVisible();
    await shot(page, '17-ask-zh');

    // Leave the shared server as the other journey expects it: no model configured.
    await page.getByRole('tab', { name: '设置' }).click();
    await page.getByRole('textbox', { name: '接口地址(Base URL)' }).fill('');
    await page.getByRole('textbox', { name: '模型' }).fill('');
    await page.getByRole('button', { name: '保存' }).click();
    await expect(page.getByRole('status').filter({ hasText: '已保存。' })).toBeVisible();
  });

  expect(pageErrors, 'no uncaught errors in the page').toEqual([]);
});
