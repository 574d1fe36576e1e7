// Who this app is, for both fronts: the Next app imports this file (src/castcard.ts) and
// `castcard-og` finds it in its working directory, so a card URL draws the same bytes on both.
// Plain JavaScript: the image service runs it without a TypeScript loader. The environment's
// APP_NAME, APP_COLOR, … win over what is said here; everything left out follows from the name.
import { defineCastcard } from "castcard";

export default defineCastcard({
  app: { name: "Castcard" },
});
