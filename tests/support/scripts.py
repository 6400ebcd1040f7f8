"""The scripts of `benchmarks/` imported by the tests that check them."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"


def load_benchmark(file_name: str, module_name: str) -> ModuleType:
    """`benchmarks/FILE_NAME` as the module `module_name`. It is put in `sys.modules` (a
    dataclass looks its module up there) and `benchmarks/` on the path, as the scripts import
    their siblings (`harness`, `extraction`)."""
    if str(BENCHMARKS) not in sys.path:
        sys.path.append(str(BENCHMARKS))
    spec = importlib.util.spec_from_file_location(module_name, BENCHMARKS / file_name)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    spec.loader.exec_module(module)
    return module
