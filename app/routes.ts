import { type RouteConfig, index, route } from "@react-router/dev/routes";

// Every route here must have its cases in test/authorization.test.ts (the suite fails otherwise).
export default [
  index("routes/dashboard.tsx"),
  route("execution.json", "routes/execution-json.ts"),
  route("projects/:projectId", "routes/project.tsx"),
  route("projects/:projectId/history", "routes/project-history.tsx"),
  route("projects/:projectId/lines/:lineId/edit", "routes/line-edit.tsx"),
  route("projects/:projectId/payments/:paymentId/correct", "routes/payment-correct.tsx"),
  route("projects/:projectId/export.xlsx", "routes/project-export.ts"),
  route("projects/:projectId/tracking", "routes/tracking-form.tsx"),
  route("projects/:projectId/tracking/print", "routes/tracking-print.tsx"),
  route("projects/:projectId/tracking/export.xlsx", "routes/tracking-export.ts"),
  route("projects/:projectId/targets", "routes/targets.tsx"),
  route("projects/:projectId/targets/edit", "routes/targets-edit.tsx"),
  route("import", "routes/import.tsx"),
  route("import/template/:file", "routes/import-template.ts"),
  route("imports", "routes/imports.tsx"),
  route("export", "routes/export.ts"),
  route("login", "routes/login.tsx"),
  route("logout", "routes/logout.ts"),
  route("account", "routes/account.tsx"),
  route("admin", "routes/admin.tsx"),
  route("tracking", "routes/tracking-list.tsx"),
  route("standards", "routes/standards.tsx"),
  route("plan/:year", "routes/plan.tsx"),
  route("healthz", "routes/healthz.ts"),
] satisfies RouteConfig;
