import { text } from "../http/respond";

export { json, text } from "../http/respond";

export const unavailable = (what = "the analytics store is not reachable") => text(503, `Service unavailable: ${what}`, { "retry-after": "5" });
