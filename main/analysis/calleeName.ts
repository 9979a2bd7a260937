import calleeNameSql from './sql/callee_name.sql?raw';

/**
 * Puts the one rule that names a call's callee (callee_name.sql) where a query says CALLEE_NAME,
 * so that the call pairs and the ranking cannot name the same callee differently.
 */
export function withCalleeName(sql: string): string {
  return sql.replaceAll('CALLEE_NAME', `(\n${calleeNameSql.trim()}\n)`);
}
