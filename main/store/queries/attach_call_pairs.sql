-- The call pairs' own database, in memory and compressed: compressed, its 800k rows per 1M spans take
-- about a third of the pages, and on a virtual machine each fresh page costs more than compressing
-- what goes into it (bench:analyze prints the page faults). One database of its own, not a
-- temporary table, because only an attached in-memory database can be compressed.
ATTACH ':memory:' AS derived_calls (COMPRESS);
