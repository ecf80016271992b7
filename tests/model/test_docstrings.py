"""Every public function, method and class in model/ has a docstring.

The engine is read by the GUI, the CLI and people: its docstrings say what a function
takes and returns (units, array shapes), what it raises and where its figures come
from. This test can only check that one is there; review checks what it says.

Public: a module-level function or class, or a method or nested class of a public class,
whose name does not start with "_". Dunder methods are covered by their class's docstring,
and a method that overrides a documented one of a base class by that one's (as help()
shows it): Command.do says what every command's do() does.
"""

import ast
import importlib
from pathlib import Path

MODEL = Path(__file__).resolve().parents[2] / "model"

# Modules still being documented; each leaves this list once it is, and the test says so.
NOT_YET_DOCUMENTED: frozenset[str] = frozenset()


def documented_by_base(module: str, class_path: str, name: str) -> bool:
    """Whether a base class of `module`.`class_path` documents its attribute `name`."""
    cls = importlib.import_module(module)
    for part in class_path.split("."):
        cls = getattr(cls, part)
    return any(name in vars(base) and getattr(vars(base)[name], "__doc__", None) for base in cls.__mro__[1:])


def undocumented(path: Path, module: str | None = None) -> list[str]:
    """'name (line n)' for each public definition in the file that has no docstring.

    With `module` (the file's dotted name) a method may take its docstring from a base class.
    """
    found: list[str] = []

    def walk(body: list[ast.stmt], prefix: str) -> None:
        for node in body:
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                continue
            if node.name.startswith("_"):
                continue
            if ast.get_docstring(node) is None:
                method = prefix and not isinstance(node, ast.ClassDef)
                if not (method and module and documented_by_base(module, prefix.rstrip("."), node.name)):
                    found.append(f"{prefix}{node.name} (line {node.lineno})")
            if isinstance(node, ast.ClassDef):
                walk(node.body, f"{prefix}{node.name}.")

    walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path)).body, "")
    return found


def model_modules() -> dict[str, Path]:
    return {str(path.relative_to(MODEL.parent).as_posix()): path for path in sorted(MODEL.rglob("*.py"))}


def dotted(name: str) -> str:
    """'model/io/files.py' -> 'model.io.files'; 'model/io/__init__.py' -> 'model.io'."""
    return name.removesuffix(".py").removesuffix("/__init__").replace("/", ".")


def test_every_public_definition_in_model_has_a_docstring():
    missing = {
        name: undocumented(path, dotted(name))
        for name, path in model_modules().items()
        if name not in NOT_YET_DOCUMENTED
    }
    listing = [f"{name}: {what}" for name, whats in missing.items() for what in whats]
    assert not listing, f"{len(listing)} public definitions in model/ have no docstring:\n" + "\n".join(listing)


def test_modules_waiting_for_docstrings_still_exist_and_still_wait():
    modules = model_modules()
    gone = sorted(NOT_YET_DOCUMENTED - modules.keys())
    done = sorted(name for name in NOT_YET_DOCUMENTED & modules.keys() if not undocumented(modules[name], dotted(name)))
    assert not gone, f"not in model/ any more, take them off NOT_YET_DOCUMENTED: {gone}"
    assert not done, f"fully documented now, take them off NOT_YET_DOCUMENTED: {done}"


def test_the_walk_finds_what_it_should(tmp_path):
    source = tmp_path / "sample.py"
    source.write_text(
        'class A:\n    """Doc."""\n\n    def f(self): ...\n\n    def _g(self): ...\n\n    class B: ...\n\n'
        "class _Private:\n    def f(self): ...\n\n"
        'def h():\n    """Doc."""\n\n    def inner(): ...\n\n'
        "async def k(): ...\n"
    )
    assert undocumented(source) == ["A.f (line 4)", "A.B (line 8)", "k (line 18)"]
    assert "model/layout.py" in model_modules()


def test_an_override_takes_its_base_docstring(tmp_path, monkeypatch):
    source = tmp_path / "overrides_sample.py"
    source.write_text(
        'class Base:\n    """Doc."""\n\n    def do(self):\n        """Does it."""\n\n    def bare(self): ...\n\n'
        'class Child(Base):\n    """Doc."""\n\n    def do(self): ...\n\n    def bare(self): ...\n'
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    assert undocumented(source, "overrides_sample") == ["Base.bare (line 7)", "Child.bare (line 14)"]
    assert dotted("model/io/__init__.py") == "model.io" and dotted("model/io/files.py") == "model.io.files"
