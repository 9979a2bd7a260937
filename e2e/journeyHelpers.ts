import { expect, type Page } from '@playwright/test';

/** The import journey loads the demo through the file picker; a journey run alone loads it with one click. */
export async function ensureIncidentLoaded(page: Page): Promise<void> {
  const sources = page.getByRole('list', { name: 'Loaded sources' });
  const loadDemo = page.getByRole('button', { name: 'Load demo incident' });
  await expect(sources.or(loadDemo)).toBeVisible();
  if (await loadDemo.isVisible()) await loadDemo.click();
  await expect(sources).toBeVisible();
  // Importing and analysing the demo takes a while on a busy machine.
  await expect(page.getByRole('table', { name: 'Services' })).toBeVisible({ timeout: 180_000 });
}
