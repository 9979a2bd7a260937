import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * The Electron binary that `npm install` downloaded, or why there is none. Reads what the
 * electron package's installer recorded, because require('electron') would try to download it.
 */
export function electronBinary(): { path: string } | { missing: string } {
  const require = createRequire(import.meta.url);
  let packageDir: string;
  try {
    packageDir = dirname(require.resolve('electron/package.json'));
  } catch {
    return { missing: 'the electron package is not installed' };
  }
  const pathFile = join(packageDir, 'path.txt');
  if (!existsSync(pathFile)) return { missing: 'the Electron binary was never downloaded (node_modules/electron/path.txt is absent)' };
  const binary = join(packageDir, 'dist', readFileSync(pathFile, 'utf8').trim());
  if (!existsSync(binary)) return { missing: `the Electron binary is missing (${binary})` };
  return { path: binary };
}
