"""Check quotes against their source documents (``evaluator validate --corpus``).

The matching rule is DESIGN.md section 3, and nothing more is forgiven:

- runs of whitespace (line breaks included) count as one space;
- a hyphen that ends a line may be followed by whitespace ("over-\\nhyped" = "over-hyped");
- curly and straight quotes are equal, and so are the dash variants.

Case, punctuation, ellipses and dropped words are not forgiven: a quote is evidence, and
a reader must find exactly those words in the article.
"""

from __future__ import annotations

import difflib
import re
from functools import lru_cache
from pathlib import Path

MIN_WORDS = 6

_TYPOGRAPHY = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2015": "-",
        "\u2212": "-",
    }
)
_LINE_END_HYPHEN = re.compile(r"-[^\S\n]*\n\s*")
_SPACE = re.compile(r"\s+")


def normalize_text(text: str, *, document: bool = False) -> str:
    """Apply the forgiving rules; ``document`` also joins line-end hyphens."""
    text = text.translate(_TYPOGRAPHY)
    if document:
        text = _LINE_END_HYPHEN.sub("-", text)
    return _SPACE.sub(" ", text).strip()


@lru_cache(maxsize=64)
def _normalized_document(text: str) -> str:
    return normalize_text(text, document=True)


@lru_cache(maxsize=64)
def _plain_document(text: str) -> str:
    # Line-end hyphen kept with its following space: a quote pasted as "over- hyped".
    return normalize_text(text)


def check_length(quote: str) -> str | None:
    """A message if the quote is shorter than ``MIN_WORDS`` words, else None."""
    words = len(quote.split())
    if words < MIN_WORDS:
        return (
            f"quote has {words} word{'s' if words != 1 else ''}; quote a whole clause of "
            f"at least {MIN_WORDS} words so a reader can judge the claim"
        )
    return None


def quote_found(quote: str, document_text: str) -> bool:
    """Whether ``quote`` appears in the document under the matching rule."""
    target = normalize_text(quote)
    return target in _normalized_document(document_text) or target in _plain_document(document_text)


def closest_passage(quote: str, document_text: str) -> tuple[str, float]:
    """The document passage most like ``quote`` (same word count), and its similarity 0-1."""
    words = _normalized_document(document_text).split(" ")
    target = normalize_text(quote)
    size = max(1, len(target.split(" ")))
    best, best_ratio = "", -1.0
    matcher = difflib.SequenceMatcher(autojunk=False)
    matcher.set_seq2(target)
    for start in range(max(1, len(words) - size + 1)):
        window = " ".join(words[start : start + size])
        matcher.set_seq1(window)
        if matcher.real_quick_ratio() <= best_ratio or matcher.quick_ratio() <= best_ratio:
            continue
        ratio = matcher.ratio()
        if ratio > best_ratio:
            best, best_ratio = window, ratio
    return best, max(best_ratio, 0.0)


def check_quote(quote: str, document_text: str, document_name: str) -> str | None:
    """A message naming the closest passage if the quote is not in the document, else None."""
    if quote_found(quote, document_text):
        return None
    passage, ratio = closest_passage(quote, document_text)
    shown = quote if len(quote) <= 120 else quote[:117] + "..."
    return (
        f'quote not found in {document_name}: "{normalize_text(shown)}"; closest passage '
        f'({ratio:.0%} alike): "{passage}"'
    )


def document_path(corpus_dir: Path, name: str) -> Path | None:
    """Where document ``name`` lies in the corpus, or None if it would lie outside it.

    Why: a source's ``document`` is data, and ``../../etc/hostname`` (or a link out of the
    corpus) must not make ``validate --corpus`` read, and quote back, any file on the machine.
    """
    base = corpus_dir.resolve()
    target = (base / name).resolve()
    return target if target.is_relative_to(base) and target != base else None
