// The page's inline launch script (scripts/build-launch.mjs bundles this file): runs while the
// HTML is still arriving, long before React's runtime has downloaded.
import { launchInClient } from "./launch";

launchInClient();
