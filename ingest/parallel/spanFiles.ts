import { AsyncLocalStorage } from 'node:async_hooks';

/*
 * Spans as the parallel OTLP workers hand them to the store: files of delimited text that DuckDB's
 * own multi-threaded CSV reader loads in one INSERT, instead of one native call per value through
 * an appender. The layout (main/store/queries/insert_span_files.sql reads it):
 *   - one row per line, fields separated by SPAN_FILE_DELIMITER;
 *   - NULL is an empty field; a text that is empty or holds a control character is enclosed in
 *     SPAN_FILE_QUOTE, with that character doubled inside;
 *   - spans: trace_id, span_id, parent_span_id, service, name, kind, start_ns, end_ns, status_code,
 *     status_message, http_status, rpc_system, rpc_status, peer_service, attributes, resource,
 *     source_line (duration_ns is end_ns - start_ns, computed by the INSERT);
 *   - span events: trace_id, span_id, ts_ns, name, attributes.
 * Control characters never occur unescaped in JSON, so attribute maps go in as JSON.stringify wrote them.
 */
export const SPAN_FILE_DELIMITER = '\x1f';
export const SPAN_FILE_QUOTE = '\x01';

/** One chunk of a file's spans, written in file order. */
export interface SpanFile {
  spansPath: string;
  /** Null when the chunk's spans have no events. */
  eventsPath: string | null;
}

/** A sink that loads span files. The store offers one while it imports a file. */
export interface SpanFilesSink {
  /** Loads the files, in the order given, into the import's transaction; they may be removed once it resolves. */
  spanFiles(files: readonly SpanFile[]): Promise<void>;
}

/*
 * The span-files sink travels beside the record Sink rather than inside it: the layers between the
 * store and the parser wrap the Sink in plain objects that only know its four methods.
 */
const spanFilesSinkContext = new AsyncLocalStorage<SpanFilesSink>();

/** Runs `parse` with `sink` offered to any parser that can produce span files. */
export function withSpanFilesSink<T>(sink: SpanFilesSink, parse: () => Promise<T>): Promise<T> {
  return spanFilesSinkContext.run(sink, parse);
}

/** The span-files sink of the import running in this async context, if it offers one. */
export function currentSpanFilesSink(): SpanFilesSink | undefined {
  return spanFilesSinkContext.getStore();
}

/** Runs `parse` with no span-files sink offered: parsers then send records through the Sink only. */
export function withoutSpanFilesSink<T>(parse: () => Promise<T>): Promise<T> {
  return spanFilesSinkContext.exit(parse);
}
