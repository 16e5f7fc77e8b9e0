import type { Config } from "@react-router/dev/config";

export default {
  // Server-side rendering: headline figures come from the loader, grids and charts hydrate on top.
  ssr: true,
  future: {
    // Route middleware: the root refuses cross-site writes and signs users in for every route.
    v8_middleware: true,
  },
} satisfies Config;
