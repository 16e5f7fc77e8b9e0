import type { Config } from "@react-router/dev/config";

export default {
  // Server-side rendering: headline figures come from the loader, grids and charts hydrate on top.
  ssr: true,
} satisfies Config;
