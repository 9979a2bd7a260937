import type { FormatInput } from './format.js';
import { jsonErrorLine } from './read.js';
import type { Sink } from './records.js';

export interface JsonDocument {
  doc: unknown;
  /** 0 for a whole-file document, else the 1-based line of a JSON-lines export. */
  line: number;
}

/**
 * The JSON documents of a file: the whole text as one document, or, when that does not parse and
 * the first line does, one document per line (exports written as JSON lines). Null when neither.
 */
export function jsonDocuments(text: string): { docs: JsonDocument[]; bad: number[] } | null {
  try {
    return { docs: [{ doc: JSON.parse(text), line: 0 }], bad: [] };
  } catch {
    const docs: JsonDocument[] = [];
    const bad: number[] = [];
    const lines = text.split('\n');
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i]!.trim();
      if (line === '') continue;
      try {
        docs.push({ doc: JSON.parse(line), line: i + 1 });
      } catch {
        if (docs.length === 0) return null;
        bad.push(i + 1);
      }
    }
    return docs.length > 0 ? { docs, bad } : null;
  }
}

/**
 * Reads a file of JSON documents for a parser, reporting what does not parse: a file that is not
 * JSON at all gets one issue at the line where parsing failed and no documents; a JSON-lines file
 * gets one issue per bad line and the documents of the good ones.
 */
export async function readJsonDocuments(input: FormatInput, sink: Sink): Promise<JsonDocument[]> {
  const text = await input.text();
  const documents = jsonDocuments(text);
  if (!documents) {
    let failure: unknown = null;
    try {
      JSON.parse(text);
    } catch (error) {
      failure = error;
    }
    const line = jsonErrorLine(text, failure) ?? 1;
    sink.issue({ line, message: `not valid JSON (${failure instanceof Error ? failure.message : 'empty file'})` });
    return [];
  }
  for (const line of documents.bad) sink.issue({ line, message: 'not valid JSON; line skipped' });
  return documents.docs;
}
