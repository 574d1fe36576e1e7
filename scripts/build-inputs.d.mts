// Types for build-inputs.mjs (plain JS so `npm start` runs it with Node alone).
export interface Inputs {
  /** One hash over every input file's path and content. */
  hash: string;
  /** Each input file (relative to the root, with "/") and its content hash. */
  files: Record<string, string>;
}
export const PACKAGE_INPUTS: string[];
export const APP_INPUTS: string[];
export const PACKAGE_STAMP: string;
export const APP_STAMP: string;
export function listInputs(root: string, inputs: string[]): string[];
export function hashInputs(root: string, inputs: string[]): Inputs;
export function packageBuildReason(root: string, inputs: Inputs): string | null;
export function appBuildReason(root: string, inputs: Inputs): string | null;
export function recordPackageBuild(root: string, inputs: Inputs): void;
export function recordAppBuild(root: string, inputs: Inputs): void;
