"use client";
import { ProjectsPage } from "@/features/projects/ProjectsPage";

export default function Projects() {
  return <ProjectsPage />;
}
