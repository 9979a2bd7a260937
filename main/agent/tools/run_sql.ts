import { z } from 'zod';
import { toolDescription } from '../prompts.js';
import { DEFAULT_SQL_LIMITS } from '../sqlGuard.js';
import { defineTool } from './defineTool.js';

export const runSqlTool = defineTool({
  name: 'run_sql',
  description: toolDescription('run_sql', { max_rows: DEFAULT_SQL_LIMITS.maxRows, time_limit_seconds: DEFAULT_SQL_LIMITS.timeLimitMs / 1000 }),
  parameters: z.object({ sql: z.string().min(1).max(8000).describe('One DuckDB SELECT or WITH query.') }).strict(),
  async run(args, ctx) {
    return ctx.guardedSql(args.sql);
  },
});
