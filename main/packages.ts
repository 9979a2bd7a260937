import { createRequire } from 'node:module';

/**
 * `require` for the packages the product loads at a moment of its choosing rather than as an import:
 * in the ES module build (the CLI, `causeway serve`) and in the CommonJS one (Electron's main
 * process, which has __filename and no import.meta.url).
 */
export const requirePackage = createRequire(typeof __filename === 'string' ? __filename : import.meta.url);

/** A package loaded the first time the returned function is called, for code most runs never reach. */
export function onFirstUse<T>(name: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= requirePackage(name) as T);
}
