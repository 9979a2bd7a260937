import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseFile, planImport } from '../../ingest/index.js';
import type { AnalysisReport } from '../api/contract.js';
import { TelemetryStore } from '../store/store.js';
import { analyze, rebuildDerived } from './index.js';

/**
 * Real labelled incidents from public datasets (../shared/corpus, see SOURCES.md there), imported
 * through ingest as a user would. The labels are read here only, never by the product.
 */
const corpusDir = fileURLToPath(new URL('../../../shared/corpus/', import.meta.url));

async function analyzeFolder(folder: string): Promise<AnalysisReport> {
  const store = await TelemetryStore.open(':memory:');
  try {
    for (const file of await planImport([folder])) {
      if (file.problem || !file.format) continue;
      await store.importSource({ path: file.path, bytes: { sha256: file.sha256, size: file.size }, format: file.format.id }, (sink) => parseFile(file, sink));
    }
    await rebuildDerived(store);
    return await analyze(store);
  } finally {
    store.close();
  }
}

interface NezhaFault {
  inject_time: string;
  inject_pod: string;
  inject_type: string;
}

/** The fault of a Nezha case: the last one injected before its data window (named HH_MM after the window's end). */
function nezhaFault(folder: string): NezhaFault {
  const files = readdirSync(folder);
  const list = JSON.parse(readFileSync(`${folder}/${files.find((f) => f.endsWith('fault_list.json'))!}`, 'utf8')) as Record<string, NezhaFault[]>;
  const day = files.find((f) => f.endsWith('fault_list.json'))!.slice(0, 10);
  const [hour, minute] = files.find((f) => f.endsWith('_trace.csv'))!.split('_');
  const windowEndMs = Date.parse(`${day}T${hour}:${minute}:59Z`);
  const before = Object.values(list)
    .flat()
    .filter((f) => Date.parse(`${f.inject_time.replace(' ', 'T')}Z`) <= windowEndMs)
    .sort((a, b) => a.inject_time.localeCompare(b.inject_time));
  return before[before.length - 1]!;
}

/** A pod name without its Kubernetes ReplicaSet and pod hash suffixes. */
const serviceOfPod = (pod: string): string => pod.replace(/-[0-9a-f]{8,10}-[0-9a-z]{5}$/, '');

const nezhaCases = ['trainticket-2023-01-29', 'trainticket-2023-01-30', 'onlineboutique-2022-08-22'].filter((name) =>
  existsSync(`${corpusDir}nezha/${name}`),
);

describe.skipIf(nezhaCases.length === 0)('Nezha labelled faults (../shared/corpus/nezha)', () => {
  it.each(nezhaCases)('%s: the faulty service is among the top 3 root causes', async (name) => {
    const folder = `${corpusDir}nezha/${name}`;
    const fault = nezhaFault(folder);
    const faulty = serviceOfPod(fault.inject_pod);
    const report = await analyzeFolder(folder);
    const top3 = report.root_causes.slice(0, 3).map((cause) => cause.service);
    expect(top3, `${fault.inject_type} on ${faulty}; ranked ${JSON.stringify(report.root_causes.map((c) => [c.service, c.kind]))}`).toContain(faulty);
  }, 120_000);
});

/** DeepTraLog F05 (invocation timeout): the call edge that times out, as SOURCES.md describes each case. */
const deeptralogTimeouts = [
  { name: 'F05-01', caller: 'ts-travel-service', callee: 'ts-ticketinfo-service' },
  { name: 'F05-04', caller: 'ts-admin-basic-info-service', callee: 'ts-config-service' },
].filter((c) => existsSync(`${corpusDir}deeptralog-trainticket/${c.name}`));

describe.skipIf(deeptralogTimeouts.length === 0)('DeepTraLog invocation timeouts (../shared/corpus/deeptralog-trainticket)', () => {
  it.each(deeptralogTimeouts)('$name: the timing-out edge $caller -> $callee is reported', async ({ name, caller, callee }) => {
    const report = await analyzeFolder(`${corpusDir}deeptralog-trainticket/${name}`);
    const edges = [
      ...report.deadline_findings.map((f) => `${f.caller} -> ${f.callee}`),
      ...report.root_causes.filter((c) => c.edge).map((c) => `${c.edge!.caller} -> ${c.edge!.callee}`),
    ];
    expect(edges).toContain(`${caller} -> ${callee}`);
  }, 120_000);
});
