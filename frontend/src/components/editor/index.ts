export { ArrangementView } from "./ArrangementView";
export { DrumGrid } from "./DrumGrid";
export { Editor } from "./Editor";
export { PianoRoll } from "./PianoRoll";
