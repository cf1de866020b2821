/** How long a slider rests before its value is saved. */
export const DEBOUNCE_MS = 400;
