"""The inspectors' web application: read-only pages over the `marts` schema, in Vietnamese.

Every request connects to the warehouse as the signed-in person's own login; the app
holds no login or privilege of its own (docs/decisions.md).
"""
