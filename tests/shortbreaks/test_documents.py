"""The PDF renderer fetches nothing but the app's own files."""

from __future__ import annotations

import pytest

from shortbreaks.documents.rendering import (
    STATIC_PREFIX,
    RefusedResource,
    SafeURLFetcher,
    html_to_pdf,
    sha256_hex,
)


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://169.254.169.254/latest/meta-data/",
        "https://example.org/logo.png",
        STATIC_PREFIX + "../../../etc/passwd",
        STATIC_PREFIX + "app.js",
        "ftp://example.org/x",
    ],
)
def test_the_fetcher_refuses_anything_outside_the_apps_static_files(url):
    with pytest.raises((RefusedResource, ValueError)):
        SafeURLFetcher().fetch(url)


def test_the_fetcher_serves_the_apps_own_stylesheet_and_data_urls():
    css = SafeURLFetcher().fetch(STATIC_PREFIX + "print.css")
    assert css.content_type == "text/css"
    assert css.read()
    data = SafeURLFetcher().fetch("data:text/plain;base64,aGk=")
    assert data.read() == b"hi"


def test_council_text_cannot_pull_in_a_local_file(tmp_path):
    from pypdf import PdfReader

    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRETMARKER")
    hostile = (
        f'<img src="file://{secret}"><link rel="stylesheet" href="file://{secret}">'
        f'<iframe src="file://{secret}"></iframe><object data="file://{secret}"></object>'
    )
    pdf = html_to_pdf(f"<html><body><h1>Statement</h1>{hostile}</body></html>")
    assert pdf.startswith(b"%PDF")
    assert len(sha256_hex(pdf)) == 64
    from io import BytesIO

    text = "".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages)
    assert "Statement" in text
    assert "TOPSECRETMARKER" not in text
    assert b"TOPSECRETMARKER" not in pdf
