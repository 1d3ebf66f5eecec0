"""Generate a catalogue of N roles from the bundled MLOps file, for benchmarks and load tests."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from careerbot_chat import bundled_content_dir

TEMPLATE = bundled_content_dir() / "roles" / "mlops-engineer.yaml"


def generate_catalog(folder: Path, count: int) -> Path:
    """Write ``count`` distinct roles into ``folder/roles`` (the first is the real MLOps file)."""
    roles = folder / "roles"
    if roles.exists():
        shutil.rmtree(roles)
    roles.mkdir(parents=True)
    shutil.copy(TEMPLATE, roles / TEMPLATE.name)
    text = TEMPLATE.read_text()
    for index in range(1, count):
        slug = f"role-{index:04d}"
        body = text.replace("slug: mlops-engineer", f"slug: {slug}")
        body = body.replace("title: MLOps Engineer", f"title: Generated Role {index:04d}")
        body = re.sub(
            r"^aliases: .*$",
            f"aliases: [gen{index:04d}, generated {index:04d}]",
            body,
            flags=re.MULTILINE,
        )
        (roles / f"{slug}.yaml").write_text(body)
    return folder
