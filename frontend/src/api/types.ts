/** Names for the generated schema types the app uses most. */
import type { components } from "./schema";

type Schemas = components["schemas"];
export type Score = Schemas["Score"];
export type Track = Schemas["Track"];
export type Note = Schemas["Note"];
export type Project = Schemas["ProjectOut"];
export type ProjectRole = Schemas["ProjectRole"];
export type Member = Schemas["MemberOut"];
export type Session = Schemas["SessionOut"];
export type Violation = Schemas["Violation"];
export type ValidationReport = Schemas["ValidationOut"];
export type Version = Schemas["VersionSummary"];
export type MixSettings = Schemas["MixSettings"];
export type ExportOut = Schemas["ExportOut"];
export type NoteOperation = Schemas["AddNote"] | Schemas["UpdateNote"] | Schemas["DeleteNote"];
