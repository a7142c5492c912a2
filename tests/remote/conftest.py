"""Fixtures of the company-server tests: the stand-in model's config.json, and one real llama-server for the
whole session (built once per machine, see tests/support/llama_server.py)."""

import pytest
from llama_server import LlamaServer
from server_stand_ins import write_config


@pytest.fixture
def config_path(tmp_path):
    return write_config(tmp_path)


@pytest.fixture(scope="session")
def llama_server(tmp_path_factory):
    with LlamaServer(tmp_path_factory.mktemp("llama-server")) as server:
        yield server
