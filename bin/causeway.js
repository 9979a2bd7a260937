#!/usr/bin/env node
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../dist/main/cli.js', import.meta.url));
if (!existsSync(cli)) {
  console.error('causeway: the CLI is not built yet. Run `npm install` (which builds it) or `npm run build`.');
  process.exit(2);
}
await import(cli);
