/**
 * Who may import whom. !!! Do not relax these rules to get a build through: move the code instead. !!!
 *
 *   ingest/          imports nothing of the project (pure parsers: bytes in, record batches out)
 *   prompts/         Markdown only
 *   main/*           may import ingest/ and prompts/
 *   main/electron/   the ONLY folder that imports 'electron'; nothing imports it
 *   main/server/     HTTP transport; nothing imports it but main/cli.ts
 *   main/analysis/   reads the store; never imports agent, api/service, transports
 *   app/             no Node modules, no electron; only `import type` from main/api/contract
 */
const nodeBuiltins = ['fs', 'path', 'os', 'child_process', 'crypto', 'http', 'https', 'net', 'zlib', 'stream', 'url', 'worker_threads', 'readline', 'util', 'events', 'buffer'];

const noNode = nodeBuiltins.flatMap((name) => [name, `node:${name}`]);

function restrict(files, patterns, paths = []) {
  return {
    files,
    rules: {
      'no-restricted-imports': ['error', { paths, patterns }],
    },
  };
}

const electronBan = { name: 'electron', message: "Only main/electron/ may import 'electron'." };

export const layerRules = [
  restrict(['ingest/**/*.ts'], [
    { group: ['**/main/**', '**/app/**', '**/prompts/**', '../main/**', '../app/**'], message: 'ingest/ imports nothing of the project.' },
  ], [electronBan]),
  restrict(['main/analysis/**/*.ts'], [
    { group: ['**/agent/**', '**/electron/**', '**/server/**', '**/api/service*', '**/cli', '**/cli.js', '**/cli.ts', '**/app/**'], message: 'main/analysis reads the store; it never reaches up to the agent, the API or a transport.' },
  ], [electronBan]),
  restrict(['main/store/**/*.ts'], [
    { group: ['**/analysis/**', '**/agent/**', '**/electron/**', '**/server/**', '**/api/service*', '**/app/**'], message: 'main/store sits below analysis, agent and the transports.' },
  ], [electronBan]),
  restrict(['main/agent/**/*.ts'], [
    { group: ['**/electron/**', '**/server/**', '**/api/service*', '**/cli', '**/cli.js', '**/cli.ts', '**/app/**'], message: 'main/agent never imports a transport or the API service.' },
  ], [electronBan]),
  restrict(['main/api/**/*.ts', 'main/demo/**/*.ts', 'main/cli.ts', 'main/workspace/**/*.ts'], [
    { group: ['**/electron/**', '**/app/**'], message: 'Nothing imports the Electron transport or the renderer.' },
  ], [electronBan]),
  restrict(['main/server/**/*.ts'], [
    { group: ['**/electron/**', '**/app/**'], message: 'The HTTP transport is a sibling of the Electron one, never its user.' },
  ], [electronBan]),
  {
    files: ['app/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [electronBan],
        patterns: [
          { group: noNode, message: 'app/ runs in the renderer: no Node modules.' },
          { group: ['**/main/**', '!**/main/api/', '**/main/api/*', '!**/main/api/contract*'], message: 'app/ reaches the backend only through the RcaApi contract.' },
          { group: ['**/ingest/**', '**/prompts/**'], message: 'app/ reaches the backend only through the RcaApi contract.' },
        ],
      }],
      '@typescript-eslint/consistent-type-imports': ['error', { prefer: 'type-imports' }],
      '@typescript-eslint/no-restricted-imports': ['error', {
        patterns: [{ group: ['**/main/api/contract*'], allowTypeImports: true, message: 'app/ may import the contract with `import type` only.' }],
      }],
    },
  },
];
