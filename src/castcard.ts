import { createNextCastcard } from "castcard/next";
import { version } from "../package.json";

// The app's one Castcard: configured from the environment on first use (process.env is read there,
// once), with route handlers the app/ route files re-export.
export const castcard = createNextCastcard({ version });
