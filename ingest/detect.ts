import type { TelemetryFormat } from './format.js';
import { FORMATS } from './formats/index.js';

/** Below this, no format is sure enough: the file is reported as of unknown format. */
export const MIN_CONFIDENCE = 0.5;

/** How many characters of decoded text detection looks at. */
export const HEAD_CHARS = 64 * 1024;

export interface Detection {
  format: TelemetryFormat | null;
  confidence: number;
}

/**
 * The format whose detector is most confident about `head`. Detectors judge by content; they may add
 * a hundredth for a telling file name, which is how the name breaks ties. A detector that throws
 * counts as 0 so one faulty format cannot block the others.
 */
export function detectFormat(head: string, path: string, formats: readonly TelemetryFormat[] = FORMATS): Detection {
  let best: Detection = { format: null, confidence: 0 };
  for (const format of formats) {
    let confidence: number;
    try {
      confidence = format.detect(head, path);
    } catch {
      confidence = 0;
    }
    if (confidence > best.confidence) best = { format, confidence };
  }
  return best.confidence >= MIN_CONFIDENCE ? best : { format: null, confidence: best.confidence };
}

export function unknownFormatMessage(formats: readonly TelemetryFormat[] = FORMATS): string {
  return `unknown format: Causeway recognises ${formats.map((format) => format.label).join('; ')}`;
}
