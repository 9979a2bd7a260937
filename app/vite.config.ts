import { defineConfig } from 'vite';

// import.meta.dirname instead of node:url: this file sits in app/, where Node modules are banned.
const appDir = import.meta.dirname;

export default defineConfig({
  root: appDir,
  base: './',
  build: {
    outDir: `${appDir}/../dist/app`,
    emptyOutDir: true,
    chunkSizeWarningLimit: 2000,
    rollupOptions: {
      onwarn(warning, warn) {
        // react-query marks its modules "use client" for server-component bundlers; meaningless in a renderer bundle.
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return;
        warn(warning);
      },
    },
  },
});
