#!/usr/bin/env node
// The budget CLI: TypeScript sources run through tsx, so the CLI and the app share one code base.
import { register } from "tsx/esm/api";

register();
const { main } = await import("../cli/main.ts");
const code = await main(process.argv.slice(2));
// Exit explicitly with the command's code: an open pool or timer must not keep the process alive.
process.exit(code);
