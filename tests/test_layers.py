"""The apps' layering (docs/decisions/0024): the import contracts in pyproject.toml hold, and they
cover every package of the product, so a new app cannot be left out of them."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Not the product: the tests and the benchmark may import anything.
NOT_CHECKED = {"tests", "bench"}


def _config() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]


def _product_packages() -> set[str]:
    return {
        path.parent.name
        for path in ROOT.glob("*/__init__.py")
        if path.parent.name not in NOT_CHECKED
    }


def test_every_package_of_the_product_is_checked():
    assert _product_packages() <= set(_config()["root_packages"])


def test_every_app_but_the_core_has_its_place_in_the_layers():
    [layers] = [contract for contract in _config()["contracts"] if contract["type"] == "layers"]
    placed = {name.strip() for layer in layers["layers"] for name in layer.split("|")}
    assert placed == _product_packages() - {"shortbreaks"}


def test_the_core_is_forbidden_every_other_package():
    [core] = [
        contract
        for contract in _config()["contracts"]
        if contract["type"] == "forbidden" and contract["source_modules"] == ["shortbreaks"]
    ]
    assert set(core["forbidden_modules"]) == _product_packages() - {"shortbreaks"}


def test_the_import_contracts_are_kept(monkeypatch, capsys):
    from importlinter.cli import lint_imports

    monkeypatch.chdir(ROOT)
    exit_code = lint_imports(no_cache=True)
    assert exit_code == 0, capsys.readouterr().out


def test_the_apps_fill_the_registries_of_earlier_ones_when_they_start():
    from contracts import running_support
    from shortbreaks import sitesearch

    sources = sorted(sitesearch._SOURCES.values(), key=lambda source: source.order)
    assert [source.key for source in sources] == [
        "children",
        "referrals",
        "providers",
        "services",
        "contracts",
    ]
    assert [source.key for source in sources if source.logged_as] == ["children", "referrals"]
    assert "lines_running_on" in running_support._SOURCE
