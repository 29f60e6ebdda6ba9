"""pyproject.toml (pip users) and environment.yml (conda users) must list the same packages."""

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def _split(requirement: str) -> tuple[str, str]:
    """('dask[dataframe]>=2025.1') -> ('dask', '>=2025.1'), names normalised as in PEP 503."""
    match = re.match(r"\s*([A-Za-z0-9_.\-]+)(\[[^\]]*\])?\s*(.*)", requirement)
    name = re.sub(r"[-_.]+", "-", match.group(1)).lower()
    return name, match.group(3).replace(" ", "")


def pip_requirements() -> dict[str, str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    listed = project["dependencies"] + project["optional-dependencies"]["test"]
    return dict(_split(r) for r in listed)


def conda_requirements() -> dict[str, str]:
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    plain = [d for d in env["dependencies"] if isinstance(d, str)]
    return {name: spec for name, spec in map(_split, plain) if name not in ("python", "pip")}


def test_same_packages_and_versions():
    assert conda_requirements() == pip_requirements()


def test_same_python():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    python = [d for d in env["dependencies"] if isinstance(d, str) and d.startswith("python")]
    assert python == ["python" + project["requires-python"]]


def test_split_normalises_names_and_extras():
    assert _split("dask[dataframe] >= 2025.1") == ("dask", ">=2025.1")
    assert _split("websocket_client>=1.8") == ("websocket-client", ">=1.8")
