import { type RouteConfig, index, route } from "@react-router/dev/routes";

// Every route here must have its cases in test/authorization.test.ts (the suite fails otherwise).
export default [
  index("routes/dashboard.tsx"),
  route("execution.json", "routes/execution-json.ts"),
  route("projects/:projectId", "routes/project.tsx"),
  route("projects/:projectId/history", "routes/project-history.tsx"),
  route("projects/:projectId/lines/:lineId/edit", "routes/line-edit.tsx"),
  route("projects/:projectId/export.xlsx", "routes/project-export.ts"),
  route("import", "routes/import.tsx"),
  route("import/template/:file", "routes/import-template.ts"),
  route("export", "routes/export.ts"),
  route("login", "routes/login.tsx"),
  route("logout", "routes/logout.ts"),
  route("account", "routes/account.tsx"),
  route("admin", "routes/admin.tsx"),
  route("healthz", "routes/healthz.ts"),
] satisfies RouteConfig;
