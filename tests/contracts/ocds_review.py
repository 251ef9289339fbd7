"""The OCDS Data Review Tool's own checks (libcoveocds), run offline.

libcoveocds reads the standard (schemas and codelists) from a ZIP of the standard's repository
and each extension from its URL. Here the standard comes from `schemas/` beside this file
(copied from the standard at tag 1__1__5 and from the two extensions: see its README), and the
extensions' URLs are answered from `schemas/extensions/` by a transport adapter on the session
the extension registry library uses; any other address is refused, so nothing reaches the
network.
"""

from __future__ import annotations

import functools
import io
import json
import re
import zipfile
from contextlib import contextmanager
from pathlib import Path

import requests
from libcoveocds.api import ocds_json_output
from libcoveocds.config import LibCoveOCDSConfig
from ocdsextensionregistry import util as registry_util
from requests.adapters import BaseAdapter

SCHEMAS = Path(__file__).parent / "schemas"
STANDARD_TAG = "1__1__5"
EXTENSIONS_BASE = "https://raw.githubusercontent.com/open-contracting-extensions/"
ARCHIVES_BASE = "https://github.com/open-contracting-extensions/"


@functools.cache
def standard_zip() -> bytes:
    """The standard's repository as libcoveocds expects its ZIP: schema/ and its codelists."""
    buffer = io.BytesIO()
    top = f"standard-{STANDARD_TAG}/"
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(top, "")
        for path in sorted(SCHEMAS.glob("*.json")):
            archive.write(path, f"{top}schema/{path.name}")
        for path in sorted((SCHEMAS / "codelists").glob("*.csv")):
            archive.write(path, f"{top}schema/codelists/{path.name}")
    return buffer.getvalue()


STANDARD_BASE = f"https://standard.open-contracting.org/schema/{STANDARD_TAG}/"


def _local_file(url: str) -> Path | None:
    """The file kept here for one of the standard's or the extensions' URLs."""
    if url.startswith(EXTENSIONS_BASE):
        return SCHEMAS / "extensions" / url.removeprefix(EXTENSIONS_BASE)
    if url.startswith(STANDARD_BASE):
        return SCHEMAS / url.removeprefix(STANDARD_BASE)
    return None


def _extension_zip(url: str) -> bytes | None:
    """An extension's archive, as GitHub serves it (the registry library reads its files from
    there): `<repo>-<version>/...`, made from the files kept here."""
    match = re.fullmatch(rf"{ARCHIVES_BASE}([\w.-]+)/archive/([\w.-]+)\.zip", url)
    folder = SCHEMAS / "extensions" / match[1] / match[2] if match else None
    if folder is None or not folder.is_dir():
        return None
    buffer = io.BytesIO()
    top = f"{match[1]}-{match[2]}/"
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(top, "")
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                archive.write(path, top + path.relative_to(folder).as_posix())
    return buffer.getvalue()


def _answer(url: str, request=None) -> requests.Response:
    response = requests.Response()
    response.request, response.url, response.encoding = request, url, "utf-8"
    if url.startswith(ARCHIVES_BASE):
        content = _extension_zip(url)
    else:
        path = _local_file(url)
        if path is None:
            raise requests.ConnectionError(f"Offline: refused {url}")
        content = path.read_bytes() if path.is_file() else None
    if content is None:
        response.status_code, response._content = 404, b"Not found"
    else:
        response.status_code, response._content = 200, content
    return response


class LocalFiles(BaseAdapter):
    """Answers the standard's and the extensions' URLs from the files kept here."""

    def send(self, request, **kwargs):
        return _answer(request.url, request)

    def close(self):
        pass


@contextmanager
def offline():
    """The extension registry's session, and `requests.get` (which jsonref resolves the record
    package schema's references with), answered from here; anything else refused."""
    session = registry_util.session
    saved = dict(session.adapters)
    adapter = LocalFiles()
    session.adapters.clear()
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    real_get = requests.get
    requests.get = lambda url, *args, **kwargs: _answer(url)
    try:
        with session.cache_disabled():
            yield
    finally:
        requests.get = real_get
        session.adapters.clear()
        session.adapters.update(saved)


def review(package: dict, tmp_path: Path) -> dict:
    """libcoveocds's report on a release or record package (its API context)."""
    config = LibCoveOCDSConfig()
    config.config["context"] = "api"
    config.config["standard_zip"] = standard_zip()
    with offline():
        return ocds_json_output(
            str(tmp_path),
            json_data=json.loads(json.dumps(package)),
            lib_cove_ocds_config=config,
            record_pkg="records" in package,
        )


def problems(report: dict) -> dict:
    """Everything in the report a data user would be warned about; empty when there is none."""
    found = {
        "validation_errors": report["validation_errors"],
        "additional_fields": report["additional_fields"],
        "additional_closed_codelist_values": report["additional_closed_codelist_values"],
        "additional_open_codelist_values": report["additional_open_codelist_values"],
        "deprecated_fields": report["deprecated_fields"],
        "invalid_extensions": report.get("extensions", {}).get("invalid_extensions", []),
        "conformance_errors": report.get("conformance_errors", {}),
        "additional_checks": report.get("additional_checks", {}),
        "json_deref_error": report.get("json_deref_error"),
    }
    return {key: value for key, value in found.items() if value}
