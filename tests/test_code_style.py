"""The code's own rules, checked by the same command as the behaviour: ruff, and the layers of README's
"Slik er koden bygd" as import-linter contracts in pyproject.toml."""

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parents[1]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def test_ruff_is_clean() -> None:
    for args in (["check", "."], ["format", "--check", "."]):
        done = subprocess.run([sys.executable, "-m", "ruff", *args], cwd=ROOT, capture_output=True, text=True)
        assert done.returncode == 0, done.stdout + done.stderr


def _lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"], cwd=root, capture_output=True, text=True, env={"PYTHONPATH": str(root)}
    )


def test_the_layers_hold() -> None:
    done = _lint_imports(ROOT)
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_layer_check_fails_when_the_core_imports_slack(tmp_path: Path) -> None:
    for folder in ("bot", "handlers", "storage"):
        shutil.copytree(ROOT / folder, tmp_path / folder, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    domain = tmp_path / "bot" / "core" / "domain.py"
    domain.write_text(domain.read_text() + "\nimport slack_sdk  # noqa\n")
    done = _lint_imports(tmp_path)
    assert done.returncode == 1
    assert "bot.core is not allowed to import slack_sdk" in done.stdout
    assert "bot.core.domain -> slack_sdk" in done.stdout


def test_mypy_passes() -> None:
    """On the packages [tool.mypy] names in `files` (pyproject.toml): strict for storage and the core."""
    done = subprocess.run([sys.executable, "-m", "mypy"], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
