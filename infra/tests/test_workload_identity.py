"""Kubernetes service accounts → Google service accounts (Workload Identity)."""

from __future__ import annotations

from harness import Run


def test_each_workload_acts_as_its_own_google_account(stack: Run) -> None:
    env, project = stack.exports["environment"], stack.exports["project"]
    bindings = {}
    for binding in stack.of_type("gcp:serviceaccount/iAMMember:IAMMember"):
        if binding.name == "deploy-from-github":  # CD, not a workload (test_deployer.py)
            continue
        assert binding.inputs["role"] == "roles/iam.workloadIdentityUser"
        ksa = binding.inputs["member"].removeprefix(f"serviceAccount:{project}.svc.id.goog[")
        bindings[ksa.rstrip("]")] = binding.inputs["serviceAccountId"].rsplit("/", 1)[-1]
    assert bindings == {
        "ariaforge/ariaforge-api": f"ariaforge-{env}-app",
        "ariaforge/ariaforge-worker": f"ariaforge-{env}-app",
        "ariaforge/ariaforge-backup": f"ariaforge-{env}-backup",
        "external-secrets/external-secrets": f"ariaforge-{env}-secrets",
    }
    assert stack.exports["workload_identity"]["ariaforge/ariaforge-backup"] == \
        f"ariaforge-{env}-backup@{project}.iam.gserviceaccount.com"


def test_no_workload_gets_a_project_wide_role(stack: Run) -> None:
    members = {r.inputs["member"] for r in stack.of_type("gcp:projects/iAMMember:IAMMember")}
    env = stack.exports["environment"]
    assert all(m.startswith(f"serviceAccount:ariaforge-{env}-nodes@") for m in members)


def test_account_ids_fit_googles_limit(stack: Run) -> None:
    for account in stack.of_type("gcp:serviceaccount/account:Account"):
        assert 6 <= len(account.inputs["accountId"]) <= 30
