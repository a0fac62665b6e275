"""Deterministic sample province (sources.md §1b data directory) and the vendor API emulator."""
