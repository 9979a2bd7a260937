import { BATCH_SIZE } from './format.js';
import type { LogRecord, MetricPointRecord, Sink, SpanRecord } from './records.js';

/**
 * Collects records and hands them on in batches of BATCH_SIZE, so the store can append them
 * column-wise. Call `flush` once at the end for the records of the last, partial batch.
 */
export class Batcher<T> {
  private batch: T[] = [];

  constructor(private readonly deliver: (batch: T[]) => void | Promise<void>) {}

  /** Adds one record; when that fills a batch, resolves after the batch was delivered. */
  async add(record: T): Promise<void> {
    this.batch.push(record);
    if (this.batch.length >= BATCH_SIZE) await this.flush();
  }

  /** Adds one record without delivering, for code that cannot wait; `flushWhenFull` delivers later. */
  push(record: T): void {
    this.batch.push(record);
  }

  /** Delivers what has been collected once it fills a batch. */
  async flushWhenFull(): Promise<void> {
    if (this.batch.length >= BATCH_SIZE) await this.flush();
  }

  /** Delivers whatever has been collected, if anything. */
  async flush(): Promise<void> {
    if (this.batch.length === 0) return;
    const batch = this.batch;
    this.batch = [];
    await this.deliver(batch);
  }
}

export const spanBatcher = (sink: Sink): Batcher<SpanRecord> => new Batcher((batch) => sink.spans(batch));
export const logBatcher = (sink: Sink): Batcher<LogRecord> => new Batcher((batch) => sink.logs(batch));
export const metricPointBatcher = (sink: Sink): Batcher<MetricPointRecord> => new Batcher((batch) => sink.metricPoints(batch));
