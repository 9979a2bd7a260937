-- The call graph as rebuilt by the resilience analysis.
SELECT caller, callee, calls, errors, timeouts FROM call_edges ORDER BY calls DESC, caller, callee
