/**
 * Query parameters every card URL may carry, whatever its design: identity first, then the card's
 * own settings. A design's fields may use none of these names.
 */
export const IDENTITY_PARAMS = ["username", "displayName", "image", "fid"] as const;
export const SETTING_PARAMS = ["v", "template", "size"] as const;
/** Carries the signature next to the card's parameters; never part of the signed message. */
export const SIGNATURE_PARAM = "sig";
export const RESERVED_PARAMS: readonly string[] = [...IDENTITY_PARAMS, ...SETTING_PARAMS, SIGNATURE_PARAM];
