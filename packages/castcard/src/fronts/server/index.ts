// castcard/server: the image service, as a function.
export { APP_MODULE_FILE, loadAppModule, runOgService, type RunOgServiceOptions } from "./main";
export { createServiceApp, startOgService, type OgService, type OgServiceOptions } from "./service";
export { requestLog, writeJsonLine, type RequestLogOptions } from "./log";
