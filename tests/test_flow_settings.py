"""How nianbao's commands run Prefect flows."""

from __future__ import annotations

import pytest
from prefect.settings import get_current_settings

from flows.flows import without_heartbeats


def test_command_flows_send_no_heartbeats(monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ("PREFECT_FLOWS_HEARTBEAT_FREQUENCY", "PREFECT_RUNNER_HEARTBEAT_FREQUENCY"):
        monkeypatch.delenv(var, raising=False)
    with without_heartbeats():
        assert get_current_settings().flows.heartbeat_frequency is None
    assert get_current_settings().flows.heartbeat_frequency is not None


def test_a_heartbeat_frequency_the_user_set_is_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PREFECT_FLOWS_HEARTBEAT_FREQUENCY", "60")
    before = get_current_settings().flows.heartbeat_frequency
    with without_heartbeats():
        assert get_current_settings().flows.heartbeat_frequency == before
