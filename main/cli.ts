import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { AnalysisReport, AskAnswer, ImportReport, RcaEvents, TimeWindow } from './api/contract.js';
import { toErrorBody } from './api/errors.js';
import { createRcaService, type EventSink, type RcaServiceOptions } from './api/service.js';
import { writeDemoIncident } from './demo/index.js';
import { parseTimeZone, TimeZoneError } from '../ingest/index.js';
import { startHttpTransport } from './server/httpServer.js';
import { defaultSettingsPath, defaultWorkspacePath } from './workspacePath.js';

const USAGE = `causeway: root-cause analysis of microservice incidents, from the exports you already have

Usage:
  causeway ingest <file|dir>... [--db PATH] [--timezone ZONE] [--json]
  causeway analyze [--db PATH] [--from ISO] [--to ISO] [--json]
  causeway ask [--db PATH] [--offline] [--base-url URL] [--model NAME] [--asked-at ISO] [--json] "QUESTION"
  causeway serve [--db PATH] [--port N] [--demo]
  causeway demo --out DIR [--seed N]

Options:
  --db PATH       the workspace (a DuckDB file); default: ${defaultWorkspacePath()}
  --json          print the result as JSON (the fields are a stable contract)
  --timezone ZONE ingest: the zone of timestamps written without one, as an IANA name (Asia/Shanghai)
                  or an offset (+08:00); default UTC. Offsets the files write, and epoch times, win
  --from, --to    the incident window (ISO 8601); found automatically when omitted
  --offline       answer with the built-in offline analyst, even when an LLM is configured
  --base-url URL  an OpenAI-compatible endpoint (default: $OPENAI_BASE_URL); key from $OPENAI_API_KEY
  --model NAME    the model to ask (default: $CAUSEWAY_MODEL or gpt-4o-mini)
  --asked-at ISO  when the question is asked, for "past 2 hours" (default: the end of the data)
  --port N        serve on this port of 127.0.0.1; 0 picks a free one (default 0)
  --demo          serve: load the built-in demo incident into an empty workspace
  --out DIR       demo: where to write the demo incident's export files
  --seed N        demo: the random seed (default 1); the same seed writes the same files

Exit codes: 0 success; 1 some input failed (the rest was still imported); 2 usage error.`;

const OPTIONS = {
  db: { type: 'string' },
  json: { type: 'boolean', default: false },
  timezone: { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  offline: { type: 'boolean', default: false },
  'base-url': { type: 'string' },
  model: { type: 'string' },
  'asked-at': { type: 'string' },
  port: { type: 'string', default: '0' },
  demo: { type: 'boolean', default: false },
  out: { type: 'string' },
  seed: { type: 'string', default: '1' },
  help: { type: 'boolean', short: 'h', default: false },
} as const satisfies ParseArgsConfig['options'];

class UsageError extends Error {}

type Options = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>['values'];

async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const { values, positionals } = parsed;
  const [command, ...rest] = positionals;
  if (values.help || command === 'help' || !command) {
    console.log(USAGE);
    return command || values.help ? 0 : 2;
  }
  switch (command) {
    case 'demo':
      return demo(values);
    case 'ingest':
      return ingest(values, rest);
    case 'analyze':
      return analyzeCommand(values);
    case 'ask':
      return askCommand(values, rest);
    case 'serve':
      return serve(values);
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

function dbPath(values: Options): string {
  const path = resolve(values.db ?? defaultWorkspacePath());
  mkdirSync(dirname(path), { recursive: true });
  return path;
}

function windowOf(values: Options): TimeWindow | undefined {
  if (!values.from && !values.to) return undefined;
  if (!values.from || !values.to) throw new UsageError('--from and --to go together');
  return { from: values.from, to: values.to };
}

async function demo(values: Options): Promise<number> {
  if (!values.out) throw new UsageError('demo needs --out DIR');
  const seed = Number(values.seed);
  if (!Number.isInteger(seed)) throw new UsageError(`--seed must be a whole number, not "${values.seed}"`);
  const result = await writeDemoIncident(resolve(values.out), { seed });
  if (values.json) console.log(JSON.stringify(result, null, 2));
  else console.log(`Wrote the demo incident (${result.files.length} files) to ${result.dir}\nNext: causeway ingest ${result.dir} --db incident.duckdb`);
  return 0;
}

/** A file's one-line progress bar on stderr, redrawn in place. */
function progressBar(): (progress: RcaEvents['importProgress']) => void {
  return (progress) => {
    const share = progress.bytes_total > 0 ? progress.bytes_done / progress.bytes_total : 1;
    const width = 24;
    const filled = Math.round(share * width);
    const name = progress.path.length > 48 ? `…${progress.path.slice(-47)}` : progress.path;
    process.stderr.write(`\r\x1b[K[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(share * 100).toFixed(0).padStart(3)}% ${progress.records} records ${name}`);
    if (progress.done) process.stderr.write('\n');
  };
}

/**
 * A line while the derivation runs, with how far it is, then its time once done. Told when the
 * derivation starts and ends, and fed its derivationProgress events.
 */
function derivationLine(): { onDerivation: NonNullable<RcaServiceOptions['onDerivation']>; progress: (progress: RcaEvents['derivationProgress']) => void } {
  const text = 'Pairing calls across services and deriving events, breakers and deadlines…';
  let started = 0;
  let shownPercent = -1;
  return {
    onDerivation: (state) => {
      if (state === 'started') {
        started = performance.now();
        shownPercent = -1;
        process.stderr.write(text);
      } else {
        process.stderr.write(`\r\x1b[K${text} ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
      }
    },
    progress: ({ fraction }) => {
      const percent = Math.floor(fraction * 100);
      if (percent === shownPercent) return;
      shownPercent = percent;
      process.stderr.write(`\r\x1b[K${text} ${percent}%`);
    },
  };
}

/** On a terminal's stderr: a bar per file while it imports, then the derivation's line; silent elsewhere and with --json. */
function importProgressOutput(json: boolean | undefined): Pick<RcaServiceOptions, 'onEvent' | 'onDerivation'> {
  if (json || !process.stderr.isTTY) return {};
  const bar = progressBar();
  const derivation = derivationLine();
  return {
    onEvent: (event, payload) => {
      if (event === 'importProgress') bar(payload as RcaEvents['importProgress']);
      else if (event === 'derivationProgress') derivation.progress(payload as RcaEvents['derivationProgress']);
    },
    onDerivation: derivation.onDerivation,
  };
}

async function ingest(values: Options, paths: string[]): Promise<number> {
  if (paths.length === 0) throw new UsageError('ingest needs at least one file or folder');
  const timezone = values.timezone === undefined ? undefined : checkedTimezone(values.timezone);
  const service = await createRcaService({
    dbPath: dbPath(values),
    ...importProgressOutput(values.json),
  });
  try {
    const report = await service.importPaths(
      paths.map((path) => resolve(path)),
      timezone === undefined ? undefined : { timezone },
    );
    const wire: ImportReport = {
      files: report.files.map((file) => ({ ...file, errors: file.failed ? [{ line: 0, message: file.failed }, ...file.errors] : file.errors })),
      totals: report.totals,
    };
    if (values.json) console.log(JSON.stringify(wire, null, 2));
    else printImport(report, timezone);
    return report.files.some((file) => file.failed) ? 1 : 0;
  } finally {
    service.close();
  }
}

/** A zone Causeway cannot read is a usage error, found before the workspace is opened. */
function checkedTimezone(zone: string): string {
  try {
    return parseTimeZone(zone).name;
  } catch (error) {
    if (error instanceof TimeZoneError) throw new UsageError(`--timezone: ${error.message}`);
    throw error;
  }
}

function printImport(report: ImportReport, timezone: string | undefined): void {
  for (const file of report.files) {
    if (file.failed) {
      console.log(`✗ ${file.path}: ${file.failed}`);
      continue;
    }
    const counts = [file.spans && `${file.spans} spans`, file.logs && `${file.logs} log lines`, file.metric_points && `${file.metric_points} metric points`].filter(Boolean).join(', ') || 'no records';
    console.log(`${file.duplicate ? '=' : '✓'} ${file.path} (${file.format}): ${file.duplicate ? 'already imported, nothing added' : counts}`);
    for (const error of file.errors.slice(0, 5)) console.log(`    line ${error.line}: ${error.message}`);
    if (file.errors.length > 5) console.log(`    … and ${file.errors.length - 5} more problems`);
  }
  const { spans, logs, metric_points } = report.totals;
  console.log(`Imported ${spans} spans, ${logs} log lines, ${metric_points} metric points.`);
  // A file that was imported before keeps the zone it was read in then.
  if (timezone !== undefined) console.log(`Times written without an offset were read as ${timezone}.`);
}

async function analyzeCommand(values: Options): Promise<number> {
  const service = await createRcaService({ dbPath: dbPath(values) });
  try {
    if (values.json) console.log(JSON.stringify(await service.analyzeInDepth(windowOf(values)), null, 2));
    else printAnalysis(await service.analyze(windowOf(values)));
    return 0;
  } finally {
    service.close();
  }
}

function printAnalysis(report: AnalysisReport): void {
  console.log(`Incident window ${report.window.from} .. ${report.window.to}${report.baseline ? ` (baseline ${report.baseline.from} .. ${report.baseline.to})` : ''}`);
  const late = report.signals_after_baseline ?? [];
  if (late.length > 0) console.log(`Not in the baseline, so comparisons cannot use them: ${late.map((start) => `${start.signal} from ${start.from}`).join(', ')}.`);
  if (report.root_causes.length === 0) console.log('No root cause stands out.');
  report.root_causes.slice(0, 5).forEach((cause, index) => {
    console.log(`${index + 1}. ${cause.service}: ${cause.kind} (confidence ${cause.confidence.toFixed(2)}, from ${cause.started_at})`);
    console.log(`   ${cause.summary}`);
    for (const evidence of cause.evidence.slice(0, 4)) console.log(`   - ${evidence.summary} [${evidence.ref}]`);
  });
  for (const breaker of report.breakers) {
    const path = breaker.transitions.map((t) => `${t.at.slice(11, 19)} ${t.from}->${t.to}`).join(', ');
    console.log(`Breaker ${breaker.service}/${breaker.breaker}: ${path}`);
  }
  for (const finding of report.deadline_findings) console.log(`Deadline ${finding.caller} -> ${finding.callee}: ${finding.kind} x${finding.count}: ${finding.summary}`);
}

async function askCommand(values: Options, words: string[]): Promise<number> {
  const question = words.join(' ').trim();
  if (!question) throw new UsageError('ask needs a question, e.g. causeway ask "why did payments fail?"');
  const service = await createRcaService({
    dbPath: dbPath(values),
    settingsPath: defaultSettingsPath(),
    llm: { ...(values['base-url'] ? { baseUrl: values['base-url'] } : {}), ...(values.model ? { model: values.model } : {}) },
  });
  try {
    const answer: AskAnswer = await service.ask({
      question,
      offline: values.offline,
      window: windowOf(values),
      ...(values['asked-at'] ? { asked_at: values['asked-at'] } : {}),
    });
    if (values.json) console.log(JSON.stringify(answer, null, 2));
    else console.log(`${answer.answer}\n\n— ${answer.provider === 'offline' ? 'offline analyst' : answer.provider}`);
    if (answer.fallback_reason && values.json) console.error(`causeway: the LLM could not answer (${answer.fallback_reason}); the offline analyst did.`);
    return 0;
  } finally {
    service.close();
  }
}

async function serve(values: Options): Promise<number> {
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be 0..65535, not "${values.port}"`);
  let publish: EventSink = () => undefined;
  const service = await createRcaService({
    dbPath: dbPath(values),
    settingsPath: defaultSettingsPath(),
    onEvent: (event, payload) => publish(event, payload),
  });
  if (values.demo && (await service.getWorkspace()).sources.length === 0) await service.loadDemo();
  const appDir = process.env.CAUSEWAY_APP_DIR ?? fileURLToPath(new URL('../app/', import.meta.url));
  const transport = await startHttpTransport({ api: service, appDir, port });
  publish = transport.publish;
  console.log(`Causeway is serving ${transport.url}`);
  const warming = service.warmTraces();
  await new Promise<void>((resolvePromise) => {
    const stop = () => resolvePromise();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await transport.close();
  await warming;
  service.close();
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof UsageError) {
      console.error(`causeway: ${error.message}\nRun \`causeway --help\` for usage.`);
      process.exitCode = 2;
      return;
    }
    console.error(`causeway: ${toErrorBody(error).message}`);
    process.exitCode = 1;
  },
);
