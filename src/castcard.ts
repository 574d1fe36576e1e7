import { createNextCastcard } from "castcard/next";
import definition from "../castcard.config.mjs";
import { version } from "../package.json";

// The app's one Castcard: its definition (castcard.config.mjs, which castcard-og loads too) and
// the environment, read on first use (process.env is read there, once), with route handlers the
// app/ route files re-export.
export const castcard = createNextCastcard({ ...definition, version });
