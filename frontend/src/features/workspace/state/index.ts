export {
  useNotify, usePlayhead, useProject, useScore, useScoreEdits, useSelection, useToasts,
  type EditResult, type Notify, type Playhead, type ProjectState, type ScoreEdits,
  type ScoreState, type Selection, type Toast, type TrackMixPatch,
} from "./contexts";
export { WorkspaceProvider } from "./WorkspaceProvider";
