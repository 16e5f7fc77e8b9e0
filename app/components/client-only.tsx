import { useEffect, useState, type ReactNode } from "react";

/** Renders children only in the browser, after hydration (grids and charts measure the DOM). */
export function ClientOnly({ children, fallback = null }: { children: () => ReactNode; fallback?: ReactNode }) {
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  return <>{hydrated ? children() : fallback}</>;
}

/**
 * A grid drawn in the browser after hydration; before that, and in a browser without JavaScript, its static form:
 * <ClientGrid>{(staticOnly) => <PaymentsGrid … staticOnly={staticOnly} />}</ClientGrid> (GridFallback).
 */
export function ClientGrid({ children }: { children: (staticOnly: boolean) => ReactNode }) {
  return <ClientOnly fallback={children(true)}>{() => children(false)}</ClientOnly>;
}
