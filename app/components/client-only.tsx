import { useEffect, useState, type ReactNode } from "react";

/** Renders children only in the browser, after hydration (grids and charts measure the DOM). */
export function ClientOnly({ children, fallback = null }: { children: () => ReactNode; fallback?: ReactNode }) {
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  return <>{hydrated ? children() : fallback}</>;
}
