#!/usr/bin/env node
// castcard-og: the standalone image service (see README). Configuration comes from the environment.
import { runOgService } from "./fronts/server/main";

await runOgService();
