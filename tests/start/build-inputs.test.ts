import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import {
  APP_INPUTS,
  PACKAGE_INPUTS,
  appBuildReason,
  hashInputs,
  listInputs,
  packageBuildReason,
  recordAppBuild,
  recordPackageBuild,
} from "../../scripts/build-inputs.mjs";

// `npm start` decides what to rebuild from a record of each build's inputs. These tests make a
// real checkout-shaped folder with real files, "build" it (the output files a build leaves), and
// check the decision after each kind of change, without running the builds themselves.
let root: string;

function write(path: string, content: string) {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), content);
}

function git(...args: string[]) {
  const result = spawnSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", ...args], { cwd: root, encoding: "utf8" });
  if (result.status !== 0) throw new Error(`git ${args.join(" ")}: ${result.stderr}`);
}

function checkout({ withGit }: { withGit: boolean }) {
  root = mkdtempSync(join(tmpdir(), "castcard-inputs-"));
  write(".gitignore", "node_modules/\n.next/\npackages/*/dist/\n*.log\n");
  write("package.json", '{"name":"app"}');
  write("package-lock.json", '{"lockfileVersion":3}');
  write("next.config.ts", "export default {};");
  write("tsconfig.json", "{}");
  write("README.md", "# App");
  write("app/page.tsx", "export default function Page() { return null; }");
  write("app/.well-known/farcaster.json/route.ts", "export const GET = () => null;");
  write("src/castcard.ts", "export const castcard = 1;");
  write("public/icon.png", "png");
  write("tests/app.test.ts", "test");
  write("packages/castcard/package.json", '{"name":"castcard"}');
  write("packages/castcard/README.md", "# castcard");
  write("packages/castcard/src/index.ts", "export * from './designs/seed';");
  write("packages/castcard/src/designs/seed.tsx", "export const seed = 1;");
  write("node_modules/react/index.js", "react");
  if (withGit) {
    git("init", "-q");
    git("add", ".");
    git("commit", "-q", "-m", "start");
  }
}

/** What a package build and a `next build` leave behind, then their records. */
function build(id = "build-1") {
  write("packages/castcard/dist/index.js", `built ${id}`);
  write(".next/BUILD_ID", id);
  recordPackageBuild(root, hashInputs(root, PACKAGE_INPUTS));
  recordAppBuild(root, hashInputs(root, APP_INPUTS));
}

const reasons = () => ({
  package: packageBuildReason(root, hashInputs(root, PACKAGE_INPUTS)),
  app: appBuildReason(root, hashInputs(root, APP_INPUTS)),
});

afterEach(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

describe.each([{ withGit: true }, { withGit: false }])("the rebuild decision (git checkout: $withGit)", ({ withGit }) => {
  it("builds both on a checkout with no builds, and neither once they are built from it", () => {
    checkout({ withGit });
    expect(reasons()).toEqual({ package: "it is not built yet", app: "there is no production build yet" });
    build();
    expect(reasons()).toEqual({ package: null, app: null });
  });

  it("rebuilds both when a package source changes, naming the file", () => {
    checkout({ withGit });
    build();
    write("packages/castcard/src/designs/seed.tsx", "export const seed = 2;");
    expect(reasons()).toEqual({
      package: "packages/castcard/src/designs/seed.tsx changed since the last build",
      app: "packages/castcard/src/designs/seed.tsx changed since the last build",
    });
  });

  it("rebuilds only the app when an app file changes", () => {
    checkout({ withGit });
    build();
    write("app/page.tsx", "export default function Page() { return 1; }");
    expect(reasons()).toEqual({ package: null, app: "app/page.tsx changed since the last build" });
  });

  it("notices files added, moved and removed inside the package's folders, with no list of them to keep", () => {
    checkout({ withGit });
    build();
    write("packages/castcard/src/designs/poster/index.tsx", "export const poster = 1;");
    expect(reasons().package).toBe("packages/castcard/src/designs/poster/index.tsx was added since the last build");
    build("build-2");
    renameSync(join(root, "packages/castcard/src/designs"), join(root, "packages/castcard/src/templates"));
    expect(reasons().package).toBe("packages/castcard/src/designs/poster/index.tsx was removed (and 3 more) since the last build");
    build("build-3");
    rmSync(join(root, "packages/castcard/src/templates/seed.tsx"));
    expect(reasons()).toEqual({
      package: "packages/castcard/src/templates/seed.tsx was removed since the last build",
      app: "packages/castcard/src/templates/seed.tsx was removed since the last build",
    });
  });

  it("rebuilds when the lock or the Next configuration changes", () => {
    checkout({ withGit });
    build();
    write("package-lock.json", '{"lockfileVersion":3,"packages":{}}');
    expect(reasons()).toEqual({ package: "package-lock.json changed since the last build", app: "package-lock.json changed since the last build" });
    build("build-2");
    write("next.config.ts", "export default { poweredByHeader: false };");
    expect(reasons()).toEqual({ package: null, app: "next.config.ts changed since the last build" });
  });

  it("does not rebuild for prose, tests outside the inputs, installed packages or build output", () => {
    checkout({ withGit });
    build();
    write("README.md", "# App, described");
    write("packages/castcard/README.md", "# castcard, described");
    write("tests/app.test.ts", "another test");
    write("node_modules/react/index.js", "react 2");
    write(".next/cache/x", "cache");
    expect(reasons()).toEqual({ package: null, app: null });
  });

  it("rebuilds when a build was redone by other means since its record was written", () => {
    checkout({ withGit });
    build();
    write("packages/castcard/dist/index.js", "built by hand from other sources");
    write(".next/BUILD_ID", "by-hand");
    expect(reasons()).toEqual({ package: "dist/ was rebuilt from other sources since its record was written", app: ".next was rebuilt since its record was written" });
  });

  it("keeps a package build redone by other means from the same sources (npm test, npm pack)", () => {
    checkout({ withGit });
    build();
    // tsup empties dist/ first, then writes the same files again.
    rmSync(join(root, "packages/castcard/dist"), { recursive: true });
    write("packages/castcard/dist/index.js", "built build-1");
    expect(reasons()).toEqual({ package: null, app: null });
  });

  it("rebuilds a build that has no record (made by npm install or by hand)", () => {
    checkout({ withGit });
    write("packages/castcard/dist/index.js", "built by npm install");
    write(".next/BUILD_ID", "by-hand");
    expect(reasons()).toEqual({ package: "its build has no record of its sources", app: "the production build has no record of its sources" });
  });
});

describe("the inputs of a git checkout", () => {
  it("are the files git tracks plus untracked ones it does not ignore", () => {
    checkout({ withGit: true });
    write("packages/castcard/src/new.ts", "untracked");
    write("packages/castcard/src/debug.log", "ignored");
    expect(listInputs(root, PACKAGE_INPUTS)).toEqual([
      "package-lock.json",
      "packages/castcard/package.json",
      "packages/castcard/src/designs/seed.tsx",
      "packages/castcard/src/index.ts",
      "packages/castcard/src/new.ts",
    ]);
    const before = reasons();
    write("packages/castcard/src/debug.log", "ignored, changed");
    expect(reasons()).toEqual(before);
  });

  it("are the same files a walk of the folder finds outside git", () => {
    checkout({ withGit: true });
    const withGit = listInputs(root, APP_INPUTS);
    rmSync(join(root, ".git"), { recursive: true, force: true });
    expect(listInputs(root, APP_INPUTS)).toEqual(withGit);
    expect(withGit).toContain("app/.well-known/farcaster.json/route.ts");
  });
});
