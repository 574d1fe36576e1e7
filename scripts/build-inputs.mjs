// Whether `npm start`'s builds are out of date. Each build keeps, beside its output, a record of the
// files it was built from (a content hash of each); a build is redone when that record is missing
// or no longer matches the checkout. Folders are listed, not files named, so moving or adding
// files inside them needs no change here.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

/** What the castcard package's build reads: its own folder (sources, manifest, build config) and the lock. */
export const PACKAGE_INPUTS = ["packages/castcard", "package-lock.json"];

/** What `next build` reads: the app, its configuration, and the castcard package it imports. */
export const APP_INPUTS = [
  ...PACKAGE_INPUTS,
  "app",
  "src",
  "public",
  "package.json",
  "next.config.*",
  "tsconfig*.json",
  "instrumentation.*",
  "castcard.config.*",
];

// Never inputs: build output, installed packages, prose, compiler caches.
const SKIP = /(^|\/)(node_modules|dist|\.git|\.next[^/]*)(\/|$)|\.md$|\.tsbuildinfo$/;

// The package's record is kept outside dist/, which every build empties first (tsup's clean): with
// the output's own hash in it, a rebuild by other means (npm test, npm pack) from the same sources
// is recognised as current, and one from other sources is not.
export const PACKAGE_STAMP = "node_modules/.cache/castcard/package-build.json";
export const APP_STAMP = ".next/castcard-inputs.json";
const PACKAGE_DIST = "packages/castcard/dist";

/**
 * The files under `inputs` (folders, files or root-level `*` patterns, relative to root): those git
 * tracks plus untracked ones it does not ignore, or, outside a git checkout, every file found.
 */
export function listInputs(root, inputs) {
  const git = spawnSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard", "--", ...inputs], { cwd: root, encoding: "utf8" });
  const listed = git.status === 0 ? git.stdout.split("\0").filter(Boolean) : inputs.flatMap((input) => walk(root, input));
  // A tracked file deleted from the checkout is no longer an input.
  return [...new Set(listed)].filter((file) => !SKIP.test(file) && isFile(join(root, file))).sort();
}

function walk(root, input) {
  if (input.includes("*")) {
    const pattern = new RegExp(`^${input.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, "[^/]*")}$`);
    return readdirSync(root).filter((name) => pattern.test(name));
  }
  const path = join(root, input);
  if (SKIP.test(input) || !existsSync(path)) return [];
  // Symbolic links are read as files, never followed into folders (no loops).
  if (!lstatSync(path).isDirectory()) return [input];
  return readdirSync(path).flatMap((name) => walk(root, `${input}/${name}`));
}

function isFile(path) {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

const sha256 = (data) => createHash("sha256").update(data).digest("hex");

/** A content hash of every input file, and of each one (to say which changed). */
export function hashInputs(root, inputs) {
  const files = Object.fromEntries(listInputs(root, inputs).map((file) => [file, sha256(readFileSync(join(root, file)))]));
  return { hash: sha256(JSON.stringify(files)), files };
}

function readJson(path) {
  try {
    return JSON.parse(readFileSync(path, "utf8"));
  } catch {
    return null;
  }
}

/** The build output's own hash, so a rebuild by other means from other sources is noticed. */
function outputHash(root, folder) {
  const files = readdirSync(join(root, folder), { recursive: true })
    .map((entry) => `${folder}/${String(entry).split("\\").join("/")}`)
    .filter((file) => isFile(join(root, file)))
    .sort();
  return sha256(JSON.stringify(files.map((file) => [file, sha256(readFileSync(join(root, file)))])));
}

function changed(recorded, now) {
  const paths = new Set([...Object.keys(recorded ?? {}), ...Object.keys(now.files)]);
  const differ = [...paths].filter((path) => recorded?.[path] !== now.files[path]).sort();
  if (differ.length === 0) return "its inputs changed";
  const [first] = differ;
  const what = !(first in now.files) ? `${first} was removed` : !(first in (recorded ?? {})) ? `${first} was added` : `${first} changed`;
  return differ.length === 1 ? what : `${what} (and ${differ.length - 1} more)`;
}

/** Why the castcard package must be (re)built, or null when dist/ was built from these inputs. */
export function packageBuildReason(root, inputs) {
  if (!existsSync(join(root, PACKAGE_DIST, "index.js"))) return "it is not built yet";
  const stamp = readJson(join(root, PACKAGE_STAMP));
  if (!stamp?.inputs) return "its build has no record of its sources";
  if (stamp.output !== outputHash(root, PACKAGE_DIST)) return "dist/ was rebuilt from other sources since its record was written";
  if (stamp.inputs !== inputs.hash) return `${changed(stamp.files, inputs)} since the last build`;
  return null;
}

/** Why `next build` must run again, or null when .next was built from these inputs. */
export function appBuildReason(root, inputs) {
  if (!existsSync(join(root, ".next/BUILD_ID"))) return "there is no production build yet";
  const stamp = readJson(join(root, APP_STAMP));
  if (!stamp?.inputs) return "the production build has no record of its sources";
  if (stamp.buildId !== readFileSync(join(root, ".next/BUILD_ID"), "utf8")) return ".next was rebuilt since its record was written";
  if (stamp.inputs !== inputs.hash) return `${changed(stamp.files, inputs)} since the last build`;
  return null;
}

/** Records, after a successful package build, what it was built from. */
export function recordPackageBuild(root, inputs) {
  mkdirSync(dirname(join(root, PACKAGE_STAMP)), { recursive: true });
  writeFileSync(join(root, PACKAGE_STAMP), JSON.stringify({ inputs: inputs.hash, output: outputHash(root, PACKAGE_DIST), files: inputs.files }));
}

/** Records, after a successful `next build`, what it was built from. */
export function recordAppBuild(root, inputs) {
  const buildId = readFileSync(join(root, ".next/BUILD_ID"), "utf8");
  writeFileSync(join(root, APP_STAMP), JSON.stringify({ inputs: inputs.hash, buildId, files: inputs.files }));
}
