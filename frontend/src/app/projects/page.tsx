"use client";
import { ProjectsPage } from "@/components/shell/ProjectsPage";

export default function Projects() {
  return <ProjectsPage />;
}
