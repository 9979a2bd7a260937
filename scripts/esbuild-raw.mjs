import { readFile } from 'node:fs/promises';

/** `import sql from './x.sql?raw'` as Vite has it: the file's text. */
export const rawText = {
  name: 'raw-text',
  setup(build) {
    build.onResolve({ filter: /\?raw$/ }, (args) => ({
      path: new URL(args.path.replace(/\?raw$/, ''), `file://${args.resolveDir}/`).pathname,
      namespace: 'raw-text',
    }));
    build.onLoad({ filter: /.*/, namespace: 'raw-text' }, async (args) => ({
      contents: await readFile(args.path, 'utf8'),
      loader: 'text',
    }));
  },
};

/** How every Node bundle of the project is built: dependencies stay in node_modules, `.sql?raw` is text. */
export const nodeBundle = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  packages: 'external',
  plugins: [rawText],
  logLevel: 'warning',
};
