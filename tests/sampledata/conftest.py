"""One small generated province shared by the sample-data tests (generation takes seconds)."""
from __future__ import annotations

import pytest

from sampledata.generate import SampleInfo, generate
from tests.sampledata.readback import CaseView, Delivery, assemble, read_feeds

#: Small enough to be quick; every scripted edge case and fault exists at any scale.
TEST_SCALE = 0.05
TEST_SEED = 7


@pytest.fixture(scope="session")
def sample(tmp_path_factory) -> SampleInfo:
    """The sample province generated once for the whole test session."""
    return generate(tmp_path_factory.mktemp("sample"), seed=TEST_SEED, scale=TEST_SCALE)


@pytest.fixture(scope="session")
def deliveries(sample: SampleInfo) -> list[Delivery]:
    """Every delivery of the sample, read back from its bytes."""
    return read_feeds(sample.data_dir, sample.api_dataset_dir)


@pytest.fixture(scope="session")
def cases(deliveries: list[Delivery]) -> dict[str, CaseView]:
    """Every case's newest snapshot and events, as the deliveries say."""
    return assemble(deliveries)
