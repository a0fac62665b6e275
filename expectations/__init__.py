"""The quality gate of the warehouse: GX suites, the completeness matrix, severities,
the gate and its waivers (docs/architecture.md). Entry points: `expectations.gate`,
`python -m expectations`."""
