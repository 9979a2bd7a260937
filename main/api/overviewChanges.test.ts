/**
 * The overview lists the changes logged before the top root cause's fault, so the incident
 * timeline can mark them. The change is written for whatever the analysis finds, not for a known
 * answer: a deploy of the top culprit two minutes before its fault began.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useDemoService } from './demoServiceFixture.js';

describe('overview changes', () => {
  const demo = useDemoService();

  it('marks a deploy of the culprit logged before its fault', async () => {
    const { service, dir } = demo;
    const before = await service.getOverview();
    const top = before.root_causes[0]!;
    const deployAt = new Date(Date.parse(top.started_at) - 2 * 60_000).toISOString();
    const file = join(dir, 'deploys.jsonl');
    writeFileSync(file, `${JSON.stringify({ ts: deployAt, level: 'info', msg: `starting ${top.service} version=9.9.1`, service: top.service })}\n`);
    await service.importPaths([file]);

    const after = await service.getOverview();
    const marker = after.changes?.find((c) => c.body.includes('version=9.9.1'));
    expect(marker).toMatchObject({ at: deployAt, service: top.service, lines: 1 });
    expect(marker?.ref).toMatch(/^log:\d+:1$/);
  }, 120_000);
});
