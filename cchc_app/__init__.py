"""The application on top of the stages: the `cchc` command line, the warehouse bootstrap
(every stage's tables), running DAGs with Airflow and following their progress, the
inspection pack and `make docs`. Nothing below imports it (tests/test_layers.py)."""
