import type { AgentTool } from './defineTool.js';
import { breakerTimelineTool } from './breaker_timeline.js';
import { compareWindowsTool } from './compare_windows.js';
import { deadlineFindingsTool } from './deadline_findings.js';
import { getTraceTool } from './get_trace.js';
import { makeChartTool } from './make_chart.js';
import { resilienceEventsTool } from './resilience_events.js';
import { rootCausesTool } from './root_causes.js';
import { runSqlTool } from './run_sql.js';
import { searchLogsTool } from './search_logs.js';
import { serviceOverviewTool } from './service_overview.js';

/** Every tool the model may call, in the order the system prompt suggests using them. */
export const AGENT_TOOLS: readonly AgentTool[] = [
  rootCausesTool,
  serviceOverviewTool,
  breakerTimelineTool,
  deadlineFindingsTool,
  resilienceEventsTool,
  compareWindowsTool,
  getTraceTool,
  searchLogsTool,
  runSqlTool,
  makeChartTool,
];
