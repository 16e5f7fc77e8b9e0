/* Placeholder while the export is being built (issue 14). */
export function loader() {
  return new Response(null, { status: 404 });
}
