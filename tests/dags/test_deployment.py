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
DOCKERFILE = (REPO / "docker" / "Dockerfile").read_text(encoding="utf-8")


def test_services_of_a_production_like_deployment():
    assert set(SERVICES) == {"postgres", "web", *AIRFLOW_SERVICES}
    assert SERVICES["postgres"]["image"].startswith("postgres:15")
    for name in AIRFLOW_SERVICES:
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
    for name in AIRFLOW_SERVICES:
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
    assert "${POSTGRES_PASSWORD" in env["WAREHOUSE_DSN"]
    assert SERVICES["postgres"]["environment"]["POSTGRES_PASSWORD"].startswith("${")


#: Variables holding a secret: compose must refuse to start while one is unset or empty.
SECRETS = ("POSTGRES_PASSWORD", "CCHC_APPLICANT_KEY", "AIRFLOW_JWT_SECRET",
           "AIRFLOW_API_SECRET_KEY", "AIRFLOW_FERNET_KEY")


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
