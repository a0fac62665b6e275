"""Builders shared by the DAG files: schedules, assets, feeds, tasks and the dbt task group.

Nothing here imports the pipeline packages at module level: the task callables import
them when they run, so DAG files parse fast and parse while a package is being changed.
"""
