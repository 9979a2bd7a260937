import duckdb from '@duckdb/node-bindings';
import { DuckDBDataChunk, DuckDBTypeId, type DuckDBAppender } from '@duckdb/node-api';

/** A column's value for one row: strings for VARCHAR and JSON columns, bigint or number for the rest. */
export type CellValue = string | bigint | number | null;

/** DuckDB's vector size: the most rows one data chunk holds. */
const CHUNK_ROWS = 2048;

/** Where one chunk's numbers are gathered before one copy into the vector, and how a cell goes in. */
interface NumberColumn {
  items: BigInt64Array<ArrayBuffer> | Int32Array<ArrayBuffer> | Int16Array<ArrayBuffer> | Int8Array<ArrayBuffer> | Float64Array<ArrayBuffer>;
  set(row: number, cell: number | bigint): void;
}

const NUMBER_COLUMNS: Partial<Record<DuckDBTypeId, () => NumberColumn>> = {
  [DuckDBTypeId.BIGINT]: () => {
    const items = new BigInt64Array(CHUNK_ROWS);
    return { items, set: (row, cell) => void (items[row] = typeof cell === 'bigint' ? cell : BigInt(cell)) };
  },
  [DuckDBTypeId.INTEGER]: () => numbers(new Int32Array(CHUNK_ROWS)),
  [DuckDBTypeId.SMALLINT]: () => numbers(new Int16Array(CHUNK_ROWS)),
  [DuckDBTypeId.TINYINT]: () => numbers(new Int8Array(CHUNK_ROWS)),
  [DuckDBTypeId.DOUBLE]: () => numbers(new Float64Array(CHUNK_ROWS)),
};

function numbers(items: Int32Array<ArrayBuffer> | Int16Array<ArrayBuffer> | Int8Array<ArrayBuffer> | Float64Array<ArrayBuffer>): NumberColumn {
  return { items, set: (row, cell) => void (items[row] = Number(cell)) };
}

interface ColumnWriter<T> {
  /** Fills the column's vector with `rows`, one native call for numbers, one per string otherwise. */
  write(vector: duckdb.Vector, rows: readonly T[], from: number, count: number): void;
}

/**
 * Appends rows to one table column-wise, straight through DuckDB's C API: numbers are written into
 * typed arrays and copied into the chunk's vectors in one call per column, nulls as a validity mask,
 * and one reused data chunk carries every batch. @duckdb/node-api's DuckDBDataChunk does the same
 * work through per-value vector objects, which cost more than DuckDB's own append.
 */
export class ColumnarAppender<T> {
  private readonly chunk: DuckDBDataChunk;
  private readonly writers: ColumnWriter<T>[];

  constructor(
    private readonly appender: DuckDBAppender,
    values: readonly ((row: T) => CellValue)[],
  ) {
    const types = values.map((_, index) => appender.columnType(index));
    this.chunk = DuckDBDataChunk.create(types);
    this.writers = values.map((value, index) => {
      const typeId = types[index]!.typeId;
      if (typeId === DuckDBTypeId.VARCHAR) return stringWriter(value);
      const column = NUMBER_COLUMNS[typeId];
      if (!column) throw new Error(`column ${index} has type ${types[index]}, which the columnar appender does not write`);
      return numberWriter(value, column());
    });
  }

  append(rows: readonly T[]): void {
    for (let from = 0; from < rows.length; from += CHUNK_ROWS) {
      const count = Math.min(CHUNK_ROWS, rows.length - from);
      this.chunk.reset();
      for (let column = 0; column < this.writers.length; column += 1) {
        this.writers[column]!.write(duckdb.data_chunk_get_vector(this.chunk.chunk, column), rows, from, count);
      }
      duckdb.data_chunk_set_size(this.chunk.chunk, count);
      this.appender.appendDataChunk(this.chunk);
    }
  }
}

/** A validity mask for one chunk: bit i of the little-endian words is set when row i has a value. */
class Validity {
  private readonly words = new BigUint64Array(CHUNK_ROWS / 64);
  private readonly bytes = new Uint8Array(this.words.buffer);
  private hasNull = false;

  reset(): void {
    this.words.fill(0xffff_ffff_ffff_ffffn);
    this.hasNull = false;
  }

  setNull(row: number): void {
    this.bytes[row >> 3]! &= ~(1 << (row & 7));
    this.hasNull = true;
  }

  flush(vector: duckdb.Vector, count: number): void {
    if (!this.hasNull) return;
    duckdb.vector_ensure_validity_writable(vector);
    duckdb.copy_data_to_vector_validity(vector, 0, this.words.buffer, 0, Math.ceil(count / 64) * 8);
  }
}

function stringWriter<T>(value: (row: T) => CellValue): ColumnWriter<T> {
  const validity = new Validity();
  return {
    write(vector, rows, from, count) {
      validity.reset();
      for (let row = 0; row < count; row += 1) {
        const cell = value(rows[from + row]!);
        if (cell === null) validity.setNull(row);
        else duckdb.vector_assign_string_element(vector, row, typeof cell === 'string' ? cell : String(cell));
      }
      validity.flush(vector, count);
    },
  };
}

function numberWriter<T>(value: (row: T) => CellValue, column: NumberColumn): ColumnWriter<T> {
  const validity = new Validity();
  return {
    write(vector, rows, from, count) {
      validity.reset();
      for (let row = 0; row < count; row += 1) {
        const cell = value(rows[from + row]!);
        if (cell === null) validity.setNull(row);
        else column.set(row, cell as number | bigint);
      }
      duckdb.copy_data_to_vector(vector, 0, column.items.buffer, 0, count * column.items.BYTES_PER_ELEMENT);
      validity.flush(vector, count);
    },
  };
}
