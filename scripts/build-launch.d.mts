import type { Metafile } from "esbuild";

/** The launch script's bundle: its code and esbuild's metafile (what went into it). */
export function bundleLaunch(): Promise<{ code: string; metafile: Metafile }>;
