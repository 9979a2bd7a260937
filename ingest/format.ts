import type { Sink } from './records.js';
import type { TimeZone } from './timezone.js';

export type Signal = 'traces' | 'logs' | 'metrics';

/** A file as a parser sees it: its name, and its decoded text as lines, as UTF-8 bytes or as one string. */
export interface FormatInput {
  /** File name with its folder, as given by the user (used for service names from paths). */
  readonly path: string;
  /** Streams the decoded text line by line (BOM and CR removed); line numbers start at 1. */
  lines(): AsyncIterable<{ text: string; line: number }>;
  /**
   * Streams the decoded text as UTF-8 bytes in chunks of any size (BOM removed, line ends kept, so a
   * reader splitting lines drops one CR before each LF), for readers that split lines off the main
   * thread. Inputs that only hold text may leave it out.
   */
  utf8?(): AsyncIterable<Uint8Array>;
  /** The whole decoded text, for formats that are one JSON document. */
  text(): Promise<string>;
  /** The zone of timestamps the file writes without one (the import's choice); absent means UTC. */
  readonly timezone?: TimeZone;
}

export interface TelemetryFormat {
  /** Stable id, reported in `causeway ingest --json` and stored in `sources.format`. */
  readonly id: string;
  readonly label: string;
  readonly signal: Signal;
  /**
   * How sure this format is that `head` (the first KBs of decoded text) is one of its files, 0..1.
   * Decided by content; the name only breaks ties.
   */
  detect(head: string, path: string): number;
  parse(input: FormatInput, sink: Sink): Promise<void>;
}

/** Parsers batch records so the store can append them column-wise. */
export const BATCH_SIZE = 2048;

/**
 * A detector that decides by content, where a telling file name adds a hundredth: enough to break
 * a tie between formats, never enough to claim a file whose content does not fit.
 */
export function byContentThenName(detectByContent: (head: string) => number, telling: RegExp): TelemetryFormat['detect'] {
  return (head, path) => {
    const score = detectByContent(head);
    return score > 0 && telling.test(path) ? score + 0.01 : score;
  };
}
