// The page's inline launch script (scripts/build-launch.mjs bundles this file): runs while the
// HTML is still arriving, long before React's runtime has downloaded. Loading the launch module
// starts the launch inside a client (launch.ts calls launchInClient as it loads).
import "./launch";
