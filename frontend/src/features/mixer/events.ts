/** Fired by the mixer after the mix is saved, so the preview is rendered again. */
export const MIX_CHANGED_EVENT = "ariaforge:mix-changed";
