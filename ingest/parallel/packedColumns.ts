import { type SpanColumns, transferablesOf } from './spanColumns.js';

/*
 * Span columns as a worker posts them. Posting copies every text, and the thread that receives them
 * pays for each copy and its garbage, while it also appends to DuckDB: the busier of the threads. Many
 * columns repeat few texts within a chunk (services, names, kinds, resources, often attributes and
 * trace ids), so such a column travels as its distinct texts and a code per row, and the receiver
 * shares one copy of each text between the rows.
 */

/** A column of texts as posted: as it is, or its distinct texts and, per row, the index of its text. */
export type PackedTexts = (string | null)[] | { distinct: (string | null)[]; codes: Int32Array<ArrayBuffer> };

const SPAN_TEXTS = ['traceId', 'spanId', 'parentSpanId', 'service', 'name', 'kind', 'statusMessage', 'rpcSystem', 'peerService', 'attributes', 'resource'] as const;
const EVENT_TEXTS = ['name', 'attributes'] as const;

export interface PackedSpanColumns {
  /** The columns, those of texts left empty. */
  columns: SpanColumns;
  /** The spans' texts, in the order of SPAN_TEXTS. */
  spanTexts: PackedTexts[];
  /** The events' texts, in the order of EVENT_TEXTS. */
  eventTexts: PackedTexts[];
}

/**
 * How many distinct texts, beyond half of the rows read, make a column travel as it is: a column of
 * ids gives up after a few dozen rows.
 */
const DISTINCT_ALLOWANCE = 64;

function packTexts(texts: (string | null)[]): PackedTexts {
  const codeOf = new Map<string | null, number>();
  const distinct: (string | null)[] = [];
  const codes = new Int32Array(texts.length);
  let previous: string | null | undefined;
  let code = -1;
  for (let row = 0; row < texts.length; row += 1) {
    const text = texts[row]!;
    // rows often repeat the row before (the spans of one request share its resource): no hashing then
    if (text !== previous) {
      previous = text;
      const known = codeOf.get(text);
      if (known === undefined) {
        code = distinct.length;
        if (2 * code > row + DISTINCT_ALLOWANCE) return texts;
        codeOf.set(text, code);
        distinct.push(text);
      } else {
        code = known;
      }
    }
    codes[row] = code;
  }
  return { distinct, codes };
}

function unpackTexts(packed: PackedTexts): (string | null)[] {
  if (Array.isArray(packed)) return packed;
  const { distinct, codes } = packed;
  const texts = new Array<string | null>(codes.length);
  for (let row = 0; row < codes.length; row += 1) texts[row] = distinct[codes[row]!]!;
  return texts;
}

export function packSpanColumns(columns: SpanColumns): PackedSpanColumns {
  const spanTexts = SPAN_TEXTS.map((key) => packTexts(columns[key]));
  const eventTexts = EVENT_TEXTS.map((key) => packTexts(columns.events[key]));
  const emptied: SpanColumns = { ...columns, events: { ...columns.events } };
  for (const key of SPAN_TEXTS) emptied[key] = [];
  for (const key of EVENT_TEXTS) emptied.events[key] = [];
  return { columns: emptied, spanTexts, eventTexts };
}

export function unpackSpanColumns({ columns, spanTexts, eventTexts }: PackedSpanColumns): SpanColumns {
  // each column comes back as the worker had it: texts where it had texts, nulls where it had nulls
  const spans = columns as unknown as Record<(typeof SPAN_TEXTS)[number], (string | null)[]>;
  const events = columns.events as unknown as Record<(typeof EVENT_TEXTS)[number], (string | null)[]>;
  SPAN_TEXTS.forEach((key, index) => {
    spans[key] = unpackTexts(spanTexts[index]!);
  });
  EVENT_TEXTS.forEach((key, index) => {
    events[key] = unpackTexts(eventTexts[index]!);
  });
  return columns;
}

/** The buffers of the packed columns' typed arrays: posted to another thread, they move instead of being copied. */
export function packedTransferables({ columns, spanTexts, eventTexts }: PackedSpanColumns): ArrayBuffer[] {
  const codes = [...spanTexts, ...eventTexts].flatMap((texts) => (Array.isArray(texts) ? [] : [texts.codes.buffer]));
  return [...transferablesOf(columns), ...codes];
}
