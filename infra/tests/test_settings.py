"""A stack whose config is missing or malformed stops before declaring anything, with a
message that names the key and the command that sets it."""

from __future__ import annotations

import re

import pulumi
import pytest

from ariaforge_infra.settings import ConfigError
from harness import RecordingMocks, run, stack_config


@pytest.mark.parametrize("key", ["gcp:project", "gcp:region"])
def test_missing_project_or_region_is_named_with_the_command_that_sets_it(key: str) -> None:
    config = stack_config("staging")
    del config[key]
    with pytest.raises(ConfigError, match=f"stack config {key}: missing") as failure:
        run("staging", config)
    assert f"pulumi config set {key} " in str(failure.value)


def test_missing_dns_domain_is_named() -> None:
    config = stack_config("production")
    del config["ariaforge:dnsDomain"]
    with pytest.raises(ConfigError, match="stack config ariaforge:dnsDomain: missing"):
        run("production", config)


def test_a_zone_given_as_region_is_refused() -> None:
    with pytest.raises(ConfigError, match="gcp:region: 'europe-west1-b' is not a region"):
        run("staging", stack_config("staging", **{"gcp:region": "europe-west1-b"}))


def test_a_malformed_project_id_is_refused() -> None:
    with pytest.raises(ConfigError, match="gcp:project: 'My Project' is not a project id"):
        run("staging", stack_config("staging", **{"gcp:project": "My Project"}))


def test_the_stack_name_must_be_an_environment() -> None:
    with pytest.raises(ConfigError, match="stack 'prod': the stack name is the environment"):
        run("prod", stack_config("production"))


def test_the_api_host_must_be_inside_the_dns_domain() -> None:
    expected = re.escape("ariaforge:apiHost: 'api.example.org' must be")
    with pytest.raises(ConfigError, match=expected):
        run("staging", stack_config("staging", **{"ariaforge:apiHost": "api.example.org"}))


def test_node_counts_must_be_ordered() -> None:
    with pytest.raises(ConfigError, match=r"needs 1 <= minNodes \(5\) <= maxNodes"):
        run("production", stack_config("production", **{"ariaforge:minNodes": "5",
                                                         "ariaforge:maxNodes": "4"}))


def test_a_malformed_cidr_is_refused() -> None:
    expected = re.escape("ariaforge:podsCidr: '10.12.0.1/14' is not a CIDR")
    with pytest.raises(ConfigError, match=expected):
        run("staging", stack_config("staging", **{"ariaforge:podsCidr": "10.12.0.1/14"}))


def test_nothing_is_declared_when_the_config_is_refused() -> None:
    mocks = RecordingMocks()
    config = stack_config("production")
    del config["gcp:project"]
    pulumi.runtime.set_all_config(config)
    pulumi.runtime.set_mocks(mocks, project="ariaforge", stack="production", preview=False)
    from ariaforge_infra import program

    with pytest.raises(ConfigError):
        program.build()
    assert mocks.resources == []
