"""Code replacements, as Photo Mechanic has them: short codes a photographer
or editor types (``=ab1=`` or ``\\ab1\\``) that become the text they stand
for ("Ana Beltrán (ESP), 100 m butterfly"), so a caption is written at the
speed of a roster.

The desk's admins load a code file in Photo Mechanic's format: one code per
line, a tab, its text; more tab-separated columns are further texts of the
same code, reached as ``=ab1#2=``. Codes are expanded wherever text comes in:
at ingest, whatever the channel (an FTP caption with codes arrives
expanded), and in every edit (slideshows.metadata_edits). A code nobody
defined stays as typed, for the caption checker's eyes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields

from django.db import models, transaction

from picdesk.audit.models import Actor, record
from picdesk.core.roles import require_role

CODE_LIMIT = 64
# =code= or \code\, with #n for the n-th text: no spaces inside, so an
# equals sign in running text ("a = b") is never taken for one.
CODE = re.compile(r"([=\\])([\w.+-]{1,%d}?)(?:#(\d{1,2}))?\1" % CODE_LIMIT)
TEXT_LIMIT = 2000


class CodeReplacement(models.Model):
    code = models.CharField(max_length=CODE_LIMIT, unique=True)
    texts = models.JSONField(default=list, help_text="The code's texts, column by column of the code file.")

    class Meta:
        app_label = "photos"
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code}: {self.texts[0] if self.texts else ''}"


class CodeFileError(ValueError):
    """A code file that cannot be loaded; says which lines and why."""


@dataclass(frozen=True)
class CodeFile:
    codes: dict[str, list[str]]
    skipped: list[str]  # lines left out, and why, for the admin


def read_code_file(text: str) -> CodeFile:
    """Parse a tab-separated code file; blank lines are skipped, a line
    without a tab or with an unusable code is reported, not guessed at."""
    codes, skipped = {}, []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        code, tab, rest = line.partition("\t")
        code = code.strip()
        texts = [column.strip()[:TEXT_LIMIT] for column in rest.split("\t")] if tab else []
        if not tab or not any(texts):
            skipped.append(f"line {number}: no tab between the code and its text")
        elif not re.fullmatch(r"[\w.+-]{1,%d}" % CODE_LIMIT, code):
            skipped.append(f"line {number}: “{code[:40]}” is not a code (letters, digits, . _ + - only)")
        else:
            codes[code] = texts
    if not codes:
        raise CodeFileError("no code in the file: each line is a code, a tab, and its text"
                            + (f" ({skipped[0]})" if skipped else ""))
    return CodeFile(codes, skipped)


@transaction.atomic
def load_codes(code_file: CodeFile, *, by: Actor | None = None) -> int:
    """Replace every code with those of ``code_file``, on the record."""
    require_role(by, "admin")
    CodeReplacement.objects.all().delete()
    CodeReplacement.objects.bulk_create(
        [CodeReplacement(code=code, texts=texts) for code, texts in code_file.codes.items()], batch_size=1000)
    record(by, "loaded code replacements", detail=f"{len(code_file.codes)} codes")
    return len(code_file.codes)


def expand(text: str) -> str:
    """``text`` with every known code replaced by its text."""
    if "=" not in text and "\\" not in text:
        return text
    wanted = {match.group(2) for match in CODE.finditer(text)}
    if not wanted:
        return text
    known = dict(CodeReplacement.objects.filter(code__in=wanted).values_list("code", "texts"))

    def replace(match: re.Match) -> str:
        texts = known.get(match.group(2))
        column = int(match.group(3) or 1) - 1
        if not texts or column >= len(texts) or not texts[column]:
            return match.group(0)
        return texts[column]

    return CODE.sub(replace, text)


def expand_value(value):
    """A field's value with codes expanded: a text, or each item of a list."""
    if isinstance(value, str):
        return expand(value)
    if isinstance(value, list):
        return [expand(item) if isinstance(item, str) else item for item in value]
    return value


def expand_metadata(meta) -> None:
    """Expand the codes in every text of a ``PhotoMetadata``, in place."""
    for field in fields(meta):
        if field.name != "sources":
            setattr(meta, field.name, expand_value(getattr(meta, field.name)))
