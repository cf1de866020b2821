"""AriaForge's cloud side on Google Cloud, one Pulumi stack per environment (README in
docs/operations.md, "Infrastructure as code")."""
