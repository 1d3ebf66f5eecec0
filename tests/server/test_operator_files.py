"""What an operator applies and reads: no example Secret under deploy/k8s/, alert rules and
the dashboard naming metrics the server exports, the docs' pages and files present."""

from __future__ import annotations

import json
import re
from pathlib import Path

import yaml

from careerbot_chat.service import _metrics as metrics

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"


def test_kubectl_apply_of_deploy_k8s_creates_no_secret() -> None:
    """`kubectl apply -f deploy/k8s/` must never overwrite the real Secret with CHANGE-ME."""
    for file in sorted((DEPLOY / "k8s").glob("*.y*ml")):
        for document in yaml.safe_load_all(file.read_text()):
            assert document is None or document.get("kind") != "Secret", file
    example = yaml.safe_load((DEPLOY / "k8s-examples" / "secret.example.yaml").read_text())
    assert example["kind"] == "Secret"


def test_the_example_postgres_is_the_host_the_secret_names() -> None:
    """The example Secret points at host `postgres`; the example PostgreSQL is that Service."""
    secret = yaml.safe_load((DEPLOY / "k8s-examples" / "secret.example.yaml").read_text())
    assert "@postgres:5432/" in secret["stringData"]["CAREERBOT_DATABASE_URL"]
    documents = list(yaml.safe_load_all((DEPLOY / "k8s-examples" / "postgres.yaml").read_text()))
    assert {"Service", "StatefulSet"} <= {d["kind"] for d in documents}
    service = next(d for d in documents if d["kind"] == "Service")
    assert service["metadata"]["name"] == "postgres"


def exported() -> set[str]:
    """Every metric family the server exports (with histogram and counter suffixes)."""
    metrics.enable()
    text = metrics.exposition()[0].decode()
    names = set(re.findall(r"^# TYPE (\S+) ", text, re.MULTILINE))
    suffixed = {f"{n}{s}" for n in names for s in ("_total", "_bucket", "_sum", "_count")}
    return names | suffixed | {"up"}


def test_alerts_and_dashboard_name_real_metrics() -> None:
    """Every metric an alert rule or dashboard panel queries is one the server exports."""
    known = exported()
    rules = yaml.safe_load((DEPLOY / "monitoring" / "alerts.yaml").read_text())
    exprs = [rule["expr"] for group in rules["groups"] for rule in group["rules"]]
    dashboard = json.loads((DEPLOY / "monitoring" / "grafana-dashboard.json").read_text())
    exprs += [target["expr"] for panel in dashboard["panels"] for target in panel["targets"]]
    assert len(exprs) > 10
    for expr in exprs:
        for name in re.findall(r"\b(careerbot_\w+|up)\b", expr):
            assert name in known, (name, expr)


def test_the_operator_pages_exist_and_link_to_real_files() -> None:
    """Each page exists, and every deploy/ path a page names is in the repository."""
    for page in ("deploy.md", "operations.md", "telegram-setup.md", "slack-setup.md"):
        text = (ROOT / "docs" / page).read_text()
        for path in re.findall(r"`(deploy/[\w./-]+)`", text):
            assert (ROOT / path.rstrip("/")).exists(), (page, path)
