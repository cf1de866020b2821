/** The score's time unit: ticks at 480 per quarter note, as the API stores them. The one
 * place this number is written down. */
export const PPQ = 480;
export const WHOLE_NOTE = PPQ * 4;
