"""The packages stand in layers (docs/architecture.md, "may import"): a module imports its
own package and the layers below it, never a package beside or above it, and the base
package has no import cycle. Read from the source (every `import`, also inside functions),
so a lazy import cannot hide a dependency."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

from cchc.paths import PROJECT_ROOT

#: Bottom first. The base (`cchc`) imports no stage; the stages import the base and the
#: stages they read (expectations: ingest's registry and file names; reports: the
#: severities; web: the report's formats); the application — the CLI and Airflow runner
#: (`cchc_app`), and the DAG files — sits on top of everything.
LAYERS: list[tuple[str, ...]] = [
    ("cchc",),
    ("sampledata", "ingest"),
    ("expectations",),
    ("reports",),
    ("web",),
    ("cchc_app", "dags"),
]
LAYER_OF = {package: rank for rank, packages in enumerate(LAYERS) for package in packages}
#: Benchmarks are harnesses like the tests: they set up a warehouse (the application's
#: bootstrap) around the package they measure, and nothing imports them.
HARNESSES = ("benchmarks", "bench_generate.py")


def _modules() -> dict[str, Path]:
    """Dotted name → file of every module of the layered packages."""
    found = {}
    for package in LAYER_OF:
        for path in sorted((PROJECT_ROOT / package).rglob("*.py")):
            relative = path.relative_to(PROJECT_ROOT)
            if any(part in HARNESSES for part in relative.parts):
                continue
            parts = list(relative.with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


MODULES = _modules()


def _package_of(module: str) -> str | None:
    """The layered package a dotted name belongs to (the DAG files import `_common` as a
    top-level package: it is dags')."""
    top = module.split(".")[0]
    return "dags" if top == "_common" else top if top in LAYER_OF else None


def _imports(module: str, path: Path) -> set[str]:
    """Dotted names `module` imports, anywhere in its file; `from package import submodule`
    counts as importing the submodule."""
    names: set[str] = set()
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names
                         if f"{base}.{alias.name}" in MODULES)
    return {name for name in names if _package_of(name)}


IMPORTS = {module: _imports(module, path) for module, path in MODULES.items()}


def test_every_layered_package_is_found():
    assert {_package_of(module) for module in MODULES} == set(LAYER_OF)


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_module_imports_a_package_above_or_beside_its_own(module):
    own = _package_of(module)
    wrong = sorted(name for name in IMPORTS[module]
                   if _package_of(name) != own and LAYER_OF[_package_of(name)] >= LAYER_OF[own])
    assert not wrong, (f"{MODULES[module].relative_to(PROJECT_ROOT)} (layer {LAYER_OF[own]}) "
                       f"imports {wrong}: move the code down a layer, or the caller up")


def test_the_base_package_has_no_import_cycle():
    base = {module: {name for name in IMPORTS[module] if name in MODULES and name != module
                     and _package_of(name) == "cchc" and name != "cchc"}
            for module in MODULES if _package_of(module) == "cchc"}
    done: set[str] = set()

    def visit(module: str, path: list[str]) -> None:
        if module in path:
            cycle = path[path.index(module):] + [module]
            pytest.fail("import cycle in the base package: " + " → ".join(cycle))
        if module in done:
            return
        for name in sorted(base[module]):
            visit(name, [*path, module])
        done.add(module)

    for module in sorted(base):
        visit(module, [])
