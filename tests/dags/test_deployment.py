"""docker-compose.yml and docker/: structure, and every path and command they name exists.

No Docker engine runs here, so the deployment is checked statically; `docker compose
config` is run too where the compose plugin is installed.
"""
from __future__ import annotations

import re
import secrets
import shlex
import subprocess
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((REPO / "docker-compose.yml").read_text(encoding="utf-8"))
SERVICES = COMPOSE["services"]
AIRFLOW_COMPONENTS = {"airflow-api-server": "api-server", "airflow-scheduler": "scheduler",
                      "airflow-dag-processor": "dag-processor", "airflow-triggerer": "triggerer"}
AIRFLOW_SERVICES = {"airflow-init", *AIRFLOW_COMPONENTS}
#: Started only with `--profile celery` (the CeleryExecutor): the broker and the workers.
CELERY_PROFILE = {"redis", "worker"}
DOCKERFILE = (REPO / "docker" / "Dockerfile").read_text(encoding="utf-8")


def test_services_of_a_production_like_deployment():
    assert set(SERVICES) == {"postgres", "web", *AIRFLOW_SERVICES, *CELERY_PROFILE}
    assert SERVICES["postgres"]["image"].startswith("postgres:15")
    for name in SERVICES:
        assert SERVICES[name].get("profiles") == (["celery"] if name in CELERY_PROFILE else None)
    for name in [*AIRFLOW_SERVICES, "worker"]:
        build = SERVICES[name]["build"]
        assert (REPO / build["context"] / build["dockerfile"]) == REPO / "docker" / "Dockerfile"


def test_components_wait_for_a_healthy_database_and_a_finished_init():
    assert SERVICES["airflow-init"]["depends_on"] == {"postgres": {"condition": "service_healthy"}}
    for name in AIRFLOW_COMPONENTS:
        depends = SERVICES[name]["depends_on"]
        assert depends["postgres"] == {"condition": "service_healthy"}
        assert depends["airflow-init"] == {"condition": "service_completed_successfully"}
    for name in ["postgres", *AIRFLOW_COMPONENTS]:
        assert SERVICES[name]["healthcheck"]["test"][0] in {"CMD", "CMD-SHELL"}, name


def test_web_app_holds_no_login_of_its_own():
    from cchc_app.cli import build_parser

    web = SERVICES["web"]
    assert web["build"] == SERVICES["airflow-init"]["build"]
    assert web["entrypoint"] == ["python", "-m", "cchc_app.cli"]
    args = build_parser().parse_args(web["command"])
    assert (args.command, args.host, args.port) == ("web", "0.0.0.0", 8050)
    assert set(web["environment"]) == {"CCHC_WEB_WAREHOUSE"}
    assert not re.search(r"user|password", web["environment"]["CCHC_WEB_WAREHOUSE"])
    assert web["depends_on"] == SERVICES["airflow-dag-processor"]["depends_on"]
    assert web["healthcheck"]["test"][0] == "CMD"


def test_every_command_is_one_airflow_runner_accepts(airflow_configured):
    from airflow.cli.cli_parser import get_parser

    from cchc_app.airflow_runner import build_parser

    airflow_cli = get_parser()
    assert 'ENTRYPOINT ["python", "-m", "cchc_app.airflow_runner"]' in DOCKERFILE
    assert SERVICES["airflow-init"]["command"] == ["init"]
    for name, component in AIRFLOW_COMPONENTS.items():
        command = SERVICES[name]["command"]
        assert command == ["serve", component]
        assert build_parser().parse_args(command).component == [component]
        health = SERVICES[name]["healthcheck"]["test"][1:]
        if health[:3] == ["python", "-m", "cchc_app.airflow_runner"]:
            args = build_parser().parse_args(health[3:])
            airflow_cli.parse_args(args.component)  # exits on an unknown airflow command


def test_mounted_paths_exist_or_are_runtime_state():
    for name in [*AIRFLOW_SERVICES, "worker"]:
        for volume in SERVICES[name]["volumes"]:
            # host part, with a variable's default: "${VAR:-./path}:/target" -> "./path"
            source = re.match(r"\$\{\w+:-([^}]+)\}|([^:]+)", volume)
            source = source.group(1) or source.group(2)
            if source.startswith("."):
                path = (REPO / source).resolve()
                assert path.exists() or path.is_relative_to(REPO / ".local"), volume
            else:
                assert source in COMPOSE["volumes"], volume


def test_secrets_come_from_the_environment_and_are_all_documented():
    text = (REPO / "docker-compose.yml").read_text(encoding="utf-8")
    example = (REPO / "docker" / ".env.example").read_text(encoding="utf-8")
    referenced = set(re.findall(r"\$\{(\w+)", text))
    documented = set(re.findall(r"^(\w+)=", example, flags=re.MULTILINE))
    assert referenced <= documented
    env = SERVICES["airflow-scheduler"]["environment"]
    for secret in ("CCHC_APPLICANT_KEY", "AIRFLOW__API_AUTH__JWT_SECRET"):
        assert env[secret].startswith("${"), secret
    assert SERVICES["postgres"]["environment"]["POSTGRES_PASSWORD"].startswith("${")


def test_only_the_bootstrap_gets_the_administrators_password():
    """#11: the components and their tasks connect as their own logins; the administrator's
    password reaches airflow-init alone, and docker/.env no container."""
    admin_dsn = SERVICES["airflow-init"]["environment"]["WAREHOUSE_DSN"]
    assert "${POSTGRES_PASSWORD" in admin_dsn
    for name in AIRFLOW_COMPONENTS:
        env = SERVICES[name]["environment"]
        assert not re.search(r"@|password", env["WAREHOUSE_DSN"], flags=re.IGNORECASE), name
        assert [k for k, v in env.items() if "POSTGRES_PASSWORD" in str(v)] == [], name
        assert [e["path"] for e in SERVICES[name]["env_file"]] == ["docker/tokens.env"], name


#: Variables holding a secret: compose must refuse to start while one is unset or empty.
SECRETS = ("POSTGRES_PASSWORD", "CCHC_APPLICANT_KEY", "AIRFLOW_JWT_SECRET",
           "AIRFLOW_API_SECRET_KEY", "AIRFLOW_FERNET_KEY", "REDIS_PASSWORD")


def test_compose_refuses_to_start_without_every_secret():
    text = (REPO / "docker-compose.yml").read_text(encoding="utf-8")
    for secret in SECRETS:
        uses = re.findall(r"\$\{" + secret + r"([^}]*)\}", text)
        assert uses and all(use.startswith(":?") for use in uses), (secret, uses)


def test_env_example_accepts_no_placeholder_secret():
    example = (REPO / "docker" / ".env.example").read_text(encoding="utf-8")
    values = dict(re.findall(r"^(\w+)=(.*)$", example, flags=re.MULTILINE))
    assert {secret: values[secret] for secret in SECRETS} == dict.fromkeys(SECRETS, "")


def test_dockerfile_installs_the_lock_with_uv_and_copies_what_exists():
    assert DOCKERFILE.splitlines()[2] == "FROM python:3.11-slim"
    assert "uv pip install -r requirements.lock" in DOCKERFILE
    for line in DOCKERFILE.splitlines():
        if line.startswith("COPY "):
            *sources, _target = shlex.split(line)[1:]
            assert all((REPO / s).exists() for s in sources), line


def test_docker_compose_config_accepts_the_file_only_with_every_secret(tmp_path):
    probe = subprocess.run(["docker", "compose", "version"], capture_output=True, text=True,
                           check=False)
    if probe.returncode != 0:
        pytest.skip("the docker compose plugin is not installed here")
    filled = tmp_path / ".env"
    filled.write_text("".join(f"{s}={secrets.token_urlsafe(16)}\n" for s in SECRETS))
    for env_file, accepted in ((filled, True), (REPO / "docker" / ".env.example", False)):
        result = subprocess.run(
            ["docker", "compose", "--env-file", str(env_file), "config", "--quiet"],
            cwd=REPO, capture_output=True, text=True, check=False)
        assert (result.returncode == 0) is accepted, result.stderr


def test_celery_workers_scale_and_share_the_airflow_configuration(airflow_configured):
    from airflow.cli.cli_parser import get_parser

    from cchc_app.airflow_runner import build_parser

    worker = SERVICES["worker"]
    # `--scale worker=N` needs replicas that differ in nothing: no fixed name or host port.
    assert not {"container_name", "ports", "hostname"} & set(worker)
    assert {k: v for k, v in worker.items() if k not in {"profiles", "command", "healthcheck",
                                                          "depends_on"}} == \
        {k: v for k, v in SERVICES["airflow-scheduler"].items()
         if k not in {"command", "healthcheck", "depends_on"}}
    assert worker["command"] == ["serve", "celery", "worker"]
    airflow_cli = get_parser()
    component = build_parser().parse_args(worker["command"]).component
    airflow_cli.parse_args(component)  # exits if the celery provider's commands are missing
    kind, health = worker["healthcheck"]["test"]
    runner_args = shlex.split(health.split("|")[0])
    assert kind == "CMD-SHELL" and runner_args[:3] == ["python", "-m", "cchc_app.airflow_runner"]
    airflow_cli.parse_args(build_parser().parse_args(runner_args[3:]).component)
    assert worker["depends_on"] == {
        **SERVICES["airflow-dag-processor"]["depends_on"],
        "redis": {"condition": "service_healthy"},
        "airflow-api-server": {"condition": "service_healthy"}}
    # The scheduler waits for the broker when the profile runs it, and only then.
    assert SERVICES["airflow-scheduler"]["depends_on"]["redis"] == {
        "condition": "service_healthy", "required": False}


def test_celery_broker_and_results_are_private_and_the_executor_is_chosen_once():
    env = SERVICES["airflow-scheduler"]["environment"]
    assert env["AIRFLOW__CORE__EXECUTOR"] == "${AIRFLOW_EXECUTOR:-LocalExecutor}"
    assert re.fullmatch(r"redis://:\$\{REDIS_PASSWORD:\?[^}]+\}@redis:6379/0",
                        env["AIRFLOW__CELERY__BROKER_URL"])
    # Unset, the result backend is the metadata database (tests/dags/test_celery_executor.py).
    assert "AIRFLOW__CELERY__RESULT_BACKEND" not in env
    redis = SERVICES["redis"]
    assert redis["image"].startswith("redis:") and "ports" not in redis
    assert "--requirepass" in redis["command"][-1] and "$$REDIS_PASSWORD" in redis["command"][-1]
    assert "$$REDIS_PASSWORD" in redis["healthcheck"]["test"][1]
    example = (REPO / "docker" / ".env.example").read_text(encoding="utf-8")
    assert re.search(r"^AIRFLOW_EXECUTOR=LocalExecutor$", example, flags=re.MULTILINE)
