"""A document builder for the tests, steered by the job's title.

`fail:N` fails the first N attempts; `slow:S` takes about S seconds in ten steps; anything else
renders the title at once.
"""

from __future__ import annotations

import time

from django.utils.html import escape

from shortbreaks.documents.rendering import html_to_pdf


def build(*, job, progress) -> bytes:
    instruction, _, value = job.title.partition(":")
    if instruction == "fail" and job.attempts <= int(value):
        raise RuntimeError(f"Refused on attempt {job.attempts}")
    if instruction == "slow":
        for step in range(10):
            progress(step * 10, f"Step {step + 1} of 10")
            time.sleep(float(value) / 10)
    progress(90, "Laying out")
    return html_to_pdf(f"<h1>{escape(job.title)}</h1><p>Attempt {job.attempts}</p>")
