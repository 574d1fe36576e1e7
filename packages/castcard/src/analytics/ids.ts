import { createHmac } from "node:crypto";

/**
 * A share id is derived from the card it shares: an HMAC of the card's canonical query (the
 * same string its signature covers), keyed by a key derived from SHARE_SECRET's signing key.
 *
 * - Unguessable: without SHARE_SECRET's key nobody can compute the id of a card they have not
 *   seen, so ids cannot be enumerated; 22 base64url characters carry 132 bits.
 * - Stateless: the share page computes the id of the card it shows, so its launch button can
 *   carry `?share=<id>` without reading the database (a page never waits for it).
 * - Stable: the same card minted twice (the button pressed again) is the same share, recorded
 *   once; another design, user or datum is another share.
 *
 * Without SHARE_SECRET nothing is signed and anyone may mint any card, so there is no key to
 * protect: ids are then a plain hash of the card, predictable by whoever knows the card.
 */
export const SHARE_ID = /^[A-Za-z0-9_-]{22}$/;
const LABEL = "castcard share id v1";

export function shareIdDeriver(secret: string | null): (canonical: string) => string {
  const key = secret ? createHmac("sha256", secret).update(LABEL).digest() : Buffer.from(LABEL);
  return (canonical) => createHmac("sha256", key).update(canonical, "utf8").digest("base64url").slice(0, 22);
}
