/**
 * The one place the product loads DuckDB: after telling its allocator to keep freed memory longer.
 *
 * DuckDB's allocator (the jemalloc built into it) gives memory that queries freed back to the system
 * after one second. An analysis is a run of large statements, each freeing hash tables and chunks
 * the next could reuse; given back, they return as fresh pages. On a virtual machine whose freed
 * memory goes back to the host, a fresh page costs about 15 µs (400 MB first touched in 1.6 s on
 * the 2-core test machine), and the 1M-span analysis of bench:analyze touched about 98k of them.
 * Kept ten seconds, they are reused: bench:analyze prints the page faults.
 *
 * jemalloc reads DUCKDB_JE_MALLOC_CONF once, as DuckDB's library loads, and an ES module's imports
 * are all loaded before its code runs: the packages are required below, after the setting, rather
 * than imported. Product code takes DuckDB from this module only. A value set by the user stands.
 */
import type * as NodeApi from '@duckdb/node-api';
import type NodeBindings from '@duckdb/node-bindings';
import { requirePackage } from '../packages.js';

process.env.DUCKDB_JE_MALLOC_CONF ??= 'dirty_decay_ms:10000,muzzy_decay_ms:10000';

const nodeApi = requirePackage('@duckdb/node-api') as typeof NodeApi;

export const { DuckDBInstance, DuckDBDataChunk, DuckDBTypeId, StatementType } = nodeApi;
export type DuckDBInstance = NodeApi.DuckDBInstance;
export type DuckDBDataChunk = NodeApi.DuckDBDataChunk;
export type DuckDBTypeId = NodeApi.DuckDBTypeId;
export type StatementType = NodeApi.StatementType;
export type { DuckDBAppender, DuckDBConnection, DuckDBValue } from '@duckdb/node-api';

/** DuckDB's C API, as the columnar appender writes through it. */
export const duckdbBindings = requirePackage('@duckdb/node-bindings') as typeof NodeBindings;
export type DuckDBVector = NodeBindings.Vector;
