"""Who may do what on a project: a member's role, checked by every project-scoped domain
(projects, scores, exports, sessions, jobs). It sits below them all, so that the projects
domain can use the scores domain without scores reaching back into projects."""
