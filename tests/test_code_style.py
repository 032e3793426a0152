import subprocess
import sys
from pathlib import Path


def test_ruff_is_clean() -> None:
    root = Path(__file__).parents[1]
    for args in (["check", "."], ["format", "--check", "."]):
        done = subprocess.run([sys.executable, "-m", "ruff", *args], cwd=root, capture_output=True, text=True)
        assert done.returncode == 0, done.stdout + done.stderr
