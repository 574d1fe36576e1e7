import { buildNextApp } from "./next-app";

// One production build per test run, shared by every test that starts the real Next server.
// CASTCARD_SKIP_BUILD=1 reuses the last build when iterating on tests that do not change the app.
export default function setup() {
  if (process.env.CASTCARD_SKIP_BUILD !== "1") buildNextApp();
}
