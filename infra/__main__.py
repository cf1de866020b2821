"""Entry point that `pulumi up` runs (Pulumi.yaml): the program lives in ariaforge_infra/."""

from ariaforge_infra.program import build

build()
