"""deploy/: every manifest parses, probes hit real routes, generated files stay in step."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from careerbot_chat import Settings
from careerbot_chat.service._runtime import Runtime
from careerbot_chat.service._server import INTERNAL_PATHS, create_app

DEPLOY = Path(__file__).resolve().parents[1] / "deploy"


def app_paths(tmp_path: Path) -> set[str]:
    settings = Settings.load(database_url=f"sqlite:///{tmp_path}/db.sqlite3")
    app = create_app(Runtime(settings, platforms=[]))
    return {route.path for route in app.routes}


def test_every_manifest_parses() -> None:
    """All YAML under deploy/ is valid (multi-document aware)."""
    files = sorted(DEPLOY.rglob("*.yaml"))
    assert files
    for file in files:
        assert list(yaml.safe_load_all(file.read_text())), file


def split_paths(tmp_path: Path) -> tuple[set[str], set[str]]:
    """The paths served on the public port and on the internal port, with both platforms."""
    settings = Settings.load(
        database_url=f"sqlite:///{tmp_path}/db.sqlite3",
        telegram_bot_token="1:fake",
        telegram_webhook_secret="secret",
        slack_bot_token="xoxb-fake",
        slack_signing_secret="secret",
    )
    app = create_app(Runtime(settings), split=True)
    return {r.path for r in app.public.routes}, {r.path for r in app.internal.routes}


def container() -> dict[str, Any]:
    deployment = yaml.safe_load((DEPLOY / "k8s" / "deployment.yaml").read_text())
    assert deployment["spec"]["replicas"] == 2
    return deployment["spec"]["template"]["spec"]["containers"][0]  # type: ignore[no-any-return]


def internal_port(bot: dict[str, Any]) -> int:
    env = {item["name"]: item["value"] for item in bot["env"]}
    return int(env["CAREERBOT_INTERNAL_PORT"])


def test_probes_point_at_real_routes(tmp_path: Path) -> None:
    """Readiness and liveness probes, and the Dockerfile health check, use served routes."""
    paths = app_paths(tmp_path)
    bot = container()
    assert bot["readinessProbe"]["httpGet"]["path"] == "/readyz"
    assert bot["livenessProbe"]["httpGet"]["path"] == "/healthz"
    for probe in ("readinessProbe", "livenessProbe"):
        assert bot[probe]["httpGet"]["path"] in paths
    assert "/healthz" in (DEPLOY / "Dockerfile").read_text()


def test_health_and_metrics_only_on_the_internal_port(tmp_path: Path) -> None:
    """Split by port, the public app has no health, readiness or metrics route and the
    internal app nothing else; the Kubernetes probes and Prometheus use the internal port."""
    public, internal = split_paths(tmp_path)
    assert internal == set(INTERNAL_PATHS)
    assert not public & internal
    assert {"/telegram/webhook", "/slack/events"} <= public
    bot = container()
    ports = {port["name"]: port["containerPort"] for port in bot["ports"]}
    assert ports["internal"] == internal_port(bot) != ports["http"]
    for probe in ("readinessProbe", "livenessProbe"):
        assert bot[probe]["httpGet"]["port"] == "internal"
    pod = yaml.safe_load((DEPLOY / "k8s" / "deployment.yaml").read_text())["spec"]["template"]
    assert pod["metadata"]["annotations"]["prometheus.io/port"] == str(internal_port(bot))


def test_services_expose_only_the_webhook_port() -> None:
    """No Service (so no Ingress) points at the internal port."""
    for document in yaml.safe_load_all((DEPLOY / "k8s" / "service.yaml").read_text()):
        assert [port["targetPort"] for port in document["spec"]["ports"]] == ["http"]
    ingress = yaml.safe_load((DEPLOY / "k8s" / "ingress.yaml").read_text())
    for rule in ingress["spec"]["rules"]:
        for path in rule["http"]["paths"]:
            assert path["backend"]["service"]["port"] == {"name": "http"}


def test_image_and_compose_keep_the_internal_port_inside() -> None:
    """The image serves health and metrics on 9090, checks its health there, and neither
    it nor compose publishes that port; compose publishes the webhook port only."""
    dockerfile = (DEPLOY / "Dockerfile").read_text()
    assert "CAREERBOT_INTERNAL_PORT=9090" in dockerfile
    assert "127.0.0.1:9090/healthz" in dockerfile
    exposed = {
        word
        for line in dockerfile.splitlines()
        if line.startswith("EXPOSE")
        for word in line.split()[1:]
    }
    assert exposed == {"8080"}
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    assert "ports" not in compose["services"]["careerbot"]  # reached through the proxy
    assert compose["services"]["proxy"]["ports"] == ["8080:8080"]
    assert "server careerbot:8080;" in (DEPLOY / "nginx.conf").read_text()
    assert "CAREERBOT_INTERNAL_PORT" not in compose["services"]["careerbot"]["environment"]


def test_ingress_routes_exist_on_the_server(tmp_path: Path) -> None:
    """The example Ingress exposes exactly the webhook routes and the chart images, all served."""
    ingress = yaml.safe_load((DEPLOY / "k8s" / "ingress.yaml").read_text())
    rules = [p for rule in ingress["spec"]["rules"] for p in rule["http"]["paths"]]
    paths = {p["path"] for p in rules if p["pathType"] == "Exact"}
    prefixes = {p["path"] for p in rules if p["pathType"] == "Prefix"}
    assert paths == {"/telegram/webhook", "/slack/events"}
    assert prefixes == {"/charts/"}
    settings = Settings.load(
        database_url=f"sqlite:///{tmp_path}/db.sqlite3",
        telegram_bot_token="1:fake",
        telegram_webhook_secret="secret",
        slack_bot_token="xoxb-fake",
        slack_signing_secret="secret",
    )
    served = {route.path for route in create_app(Runtime(settings)).routes}
    assert paths <= served
    assert all(any(path.startswith(prefix) for path in served) for prefix in prefixes)


def test_configmap_matches_content() -> None:
    """deploy/k8s/configmap.yaml is what make_configmap.py generates from content/roles."""
    spec = importlib.util.spec_from_file_location(
        "make_configmap", DEPLOY / "k8s" / "make_configmap.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert (DEPLOY / "k8s" / "configmap.yaml").read_text() == module.configmap()


def test_compose_runs_bot_with_postgres() -> None:
    """compose.yaml runs the bot against PostgreSQL with a named volume."""
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    bot = compose["services"]["careerbot"]
    assert bot["environment"]["CAREERBOT_DATABASE_URL"].startswith("postgresql://")
    assert "careerbot-db" in compose["volumes"]


def unit_file(path: Path) -> dict[str, dict[str, list[str]]]:
    """A systemd unit's sections, each key with its values in order (keys may repeat);
    every other line a comment or blank, as systemd reads it."""
    sections: dict[str, dict[str, list[str]]] = {}
    current: dict[str, list[str]] | None = None
    for number, raw in enumerate(path.read_text().splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("[") and line.endswith("]"):
            current = sections.setdefault(line[1:-1], {})
            continue
        key, equals, value = line.partition("=")
        assert current is not None, f"{path.name}:{number}: outside a section"
        assert equals, f"{path.name}:{number}: not KEY=VALUE: {raw}"
        assert key.isalpha(), f"{path.name}:{number}: not a directive: {raw}"
        current.setdefault(key, []).append(value)
    return sections


def test_the_systemd_unit_runs_careerbot_run_as_a_service() -> None:
    """deploy/careerbot.service: `careerbot run PLATFORM` as its own user, tokens from an
    environment file, stopped by SIGTERM with time to drain, reloaded by SIGHUP,
    restarted on failure but not on a setting to fix (exit 2), and confined."""
    from careerbot_chat._registry import names
    from careerbot_chat.cli import EXIT_USAGE
    from careerbot_slack._socket import DRAIN_SECONDS

    unit = unit_file(DEPLOY / "careerbot.service")
    assert set(unit) == {"Unit", "Service", "Install"}
    service = {key: values[-1] for key, values in unit["Service"].items()}
    program, command, platform = service["ExecStart"].split()
    assert (Path(program).name, command) == ("careerbot", "run")
    assert platform in names()
    assert service["EnvironmentFile"].startswith("/etc/")
    assert service["User"] not in ("", "root")
    assert service["KillSignal"] == "SIGTERM"
    assert float(service["TimeoutStopSec"]) > DRAIN_SECONDS
    assert service["ExecReload"].endswith("kill -HUP $MAINPID")
    assert service["Restart"] == "on-failure"
    assert service["RestartPreventExitStatus"] == str(EXIT_USAGE)
    for key, value in {
        "NoNewPrivileges": "yes",
        "ProtectSystem": "strict",
        "ProtectHome": "yes",
        "PrivateTmp": "yes",
        "CapabilityBoundingSet": "",
    }.items():
        assert service[key] == value, key
    # Each CAREERBOT_* it sets is a documented setting; it writes only in its own folders.
    settings_doc = (DEPLOY.parent / "README.md").read_text()
    environment = dict(item.split("=", 1) for item in unit["Service"]["Environment"])
    for name in environment:
        assert not name.startswith("CAREERBOT_") or name in settings_doc, name
    database = environment["CAREERBOT_DATABASE_URL"].removeprefix("sqlite:///")
    assert database.startswith(f"/var/lib/{service['StateDirectory']}/")
    assert environment["CAREERBOT_CACHE_DIR"] == f"/var/cache/{service['CacheDirectory']}"
    assert unit["Install"]["WantedBy"] == ["multi-user.target"]


def test_systemd_accepts_the_unit(tmp_path: Path) -> None:
    """`systemd-analyze verify` knows every directive (where systemd is installed); the
    program itself is not installed here, which is all it may say."""
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed")
    unit = tmp_path / "careerbot.service"
    unit.write_text((DEPLOY / "careerbot.service").read_text())
    done = subprocess.run(
        [analyze, "verify", "--man=no", str(unit)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    complaints = [
        line
        for line in (done.stdout + done.stderr).splitlines()
        if line.strip() and "is not executable: No such file or directory" not in line
    ]
    assert complaints == []
