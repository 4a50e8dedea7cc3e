"""ruff (configured in pyproject.toml) finds nothing in the course's Python code."""

from __future__ import annotations

import subprocess
import sys

from helpers import config

#: The course's Python code: what ruff checks and formats.
PATHS = ["helpers", "coursebuild", "tests", "tests_browser", "conftest.py", "course.py"]


def test_ruff_check_is_clean():
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "check", *PATHS], cwd=config.ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_format_leaves_the_code_as_it_is():
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "format", "--check", *PATHS],
        cwd=config.ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, "run `ruff format .`:\n" + result.stdout + result.stderr


def test_lessons_import_only_helpers_and_helpers_never_imports_the_machinery():
    import ast
    import json

    def imported(source: str) -> set[str]:
        names = set()
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.Import):
                names |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.add(node.module.split(".")[0])
        return names

    for notebook in sorted((config.ROOT / "notebooks").glob("*.ipynb")):
        cells = json.loads(notebook.read_text())["cells"]
        code = "\n".join(
            "".join(c["source"])
            for c in cells
            if c["cell_type"] == "code" and not "".join(c["source"]).startswith("%")
        )
        code = "\n".join(line for line in code.splitlines() if not line.lstrip().startswith(("%", "!")))
        assert "coursebuild" not in imported(code), f"{notebook.name} imports the course's machinery"
        assert "helpers" in imported(code), notebook.name
    for module in sorted((config.ROOT / "helpers").rglob("*.py")):
        assert "coursebuild" not in imported(module.read_text()), f"{module} imports coursebuild"


def test_no_import_cycle_between_the_course_modules():
    import ast

    graph = {}
    for package in ("helpers", "coursebuild"):
        for path in (config.ROOT / package).rglob("*.py"):
            name = ".".join(path.relative_to(config.ROOT).with_suffix("").parts).removesuffix(".__init__")
            targets = set()
            for node in ast.walk(ast.parse(path.read_text())):
                if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == package:
                    targets |= {f"{node.module}.{a.name}" for a in node.names} | {node.module}
                elif isinstance(node, ast.Import):
                    targets |= {a.name for a in node.names}
            graph[name] = targets
    graph = {name: {t for t in targets if t in graph and t != name} for name, targets in graph.items()}

    def visit(name, stack):
        assert name not in stack, "import cycle: " + " -> ".join([*stack, name])
        for target in graph[name]:
            visit(target, [*stack, name])

    for name in graph:
        visit(name, [])
