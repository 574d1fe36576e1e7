#!/usr/bin/env node
// The standalone image service. tsx compiles the TypeScript sources as they load, so this runs
// straight after `npm install`, with no build step.
import { register } from "tsx/esm/api";

register();
await import("../server/main.ts");
