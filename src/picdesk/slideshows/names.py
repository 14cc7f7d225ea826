"""The desk's dictionary of names: people, places, teams, the spellings the
desk has settled on. The caption checker warns of a capitalised word close
to one of them but not it ("Zelenksy" for "Zelensky"), as a spelling check
that knows the news.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections import defaultdict

from django.db import models, transaction

from picdesk.audit.models import Actor, record
from picdesk.core.roles import require_role

# A capitalised word of a caption, letters and the marks names carry.
NAME_WORD = re.compile(r"\b[^\W\d_][\w'’-]{3,}", re.UNICODE)
POSSESSIVE = re.compile(r"['’]s?$")  # "Zelensky's" is Zelensky
CLOSENESS = 0.8  # difflib's ratio: one letter swapped or missing in a name of five or more


class DeskName(models.Model):
    name = models.CharField(max_length=200, unique=True)

    class Meta:
        app_label = "slideshows"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


@transaction.atomic
def replace_names(text: str, *, by: Actor | None = None) -> int:
    """The dictionary becomes the names of ``text``, one a line; on the record."""
    require_role(by, "editor")
    names = sorted({line.strip()[:200] for line in text.splitlines() if line.strip()})
    DeskName.objects.all().delete()
    DeskName.objects.bulk_create([DeskName(name=name) for name in names], batch_size=1000)
    record(by, "saved the desk's names", detail=f"{len(names)} names")
    return len(names)


class NameChecker:
    """The desk's names, indexed by first letter and length so that a word is
    compared with the few names it could be a slip of, not the whole
    dictionary; each word's verdict kept for the rest of the check."""

    def __init__(self):
        self.words, self.near, self.verdicts = set(), defaultdict(list), {}
        for name in DeskName.objects.values_list("name", flat=True).iterator():
            for word in NAME_WORD.findall(name):
                if word[0].isupper() and word not in self.words:
                    self.words.add(word)
                    self.near[_bare(word[0]).casefold(), len(word)].append(word)

    def misspelled(self, text: str) -> list[tuple[str, str]]:
        """(word, the name it is close to) for each capitalised word of
        ``text`` that is near a name without being one."""
        found = []
        for word in dict.fromkeys(POSSESSIVE.sub("", w) for w in NAME_WORD.findall(text) if w[0].isupper()):
            if word not in self.verdicts:
                self.verdicts[word] = self._closest(word)
            if self.verdicts[word]:
                found.append((word, self.verdicts[word]))
        return found

    def _closest(self, word: str) -> str:
        if word in self.words or not self.words:
            return ""
        first = _bare(word[0]).casefold()
        candidates = [w for size in range(len(word) - 2, len(word) + 3) for w in self.near.get((first, size), [])]
        close = difflib.get_close_matches(word, candidates, n=1, cutoff=CLOSENESS)
        return close[0] if close and _bare(close[0]).casefold() != _bare(word).casefold() else ""


def _bare(text: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))
