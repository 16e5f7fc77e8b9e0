import { type RouteConfig, index, route } from "@react-router/dev/routes";

export default [
  index("routes/dashboard.tsx"),
  route("projects/:projectId", "routes/project.tsx"),
  route("healthz", "routes/healthz.ts"),
] satisfies RouteConfig;
