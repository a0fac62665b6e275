"""Files the tests read: the vendors' sample deliveries, copied byte for byte from
`../shared/samples/deliveries` so the suite runs on a machine without `shared/`."""
from pathlib import Path

SAMPLE_DELIVERIES = Path(__file__).resolve().parent / "fixtures" / "deliveries"
