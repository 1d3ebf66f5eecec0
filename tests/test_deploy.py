"""deploy/: every manifest parses, probes hit real routes, generated files stay in step."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import yaml

from careerbot_chat.service._runtime import Runtime
from careerbot_chat.service._server import create_app
from careerbot_chat.service._settings import Settings

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


def test_probes_point_at_real_routes(tmp_path: Path) -> None:
    """Readiness and liveness probes, and the Dockerfile health check, use served routes."""
    paths = app_paths(tmp_path)
    deployment = yaml.safe_load((DEPLOY / "k8s" / "deployment.yaml").read_text())
    container = deployment["spec"]["template"]["spec"]["containers"][0]
    assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"
    assert container["livenessProbe"]["httpGet"]["path"] == "/healthz"
    for probe in ("readinessProbe", "livenessProbe"):
        assert container[probe]["httpGet"]["path"] in paths
    assert deployment["spec"]["replicas"] == 2
    assert "/healthz" in (DEPLOY / "Dockerfile").read_text()


def test_ingress_routes_exist_on_the_server(tmp_path: Path) -> None:
    """The example Ingress exposes exactly the platform webhook routes, which the server serves."""
    ingress = yaml.safe_load((DEPLOY / "k8s" / "ingress.yaml").read_text())
    paths = {p["path"] for rule in ingress["spec"]["rules"] for p in rule["http"]["paths"]}
    assert paths == {"/telegram/webhook", "/slack/events"}
    settings = Settings.load(
        database_url=f"sqlite:///{tmp_path}/db.sqlite3",
        telegram_bot_token="1:fake",
        telegram_webhook_secret="secret",
        slack_bot_token="xoxb-fake",
        slack_signing_secret="secret",
    )
    served = {route.path for route in create_app(Runtime(settings)).routes}
    assert paths <= served


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
