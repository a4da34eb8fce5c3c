"""The live sliders in headless Chromium, for every method x normalization the CLI accepts.

The page only aggregates the weight-independent parts Python embeds (evaluator.scoring.
prepared); these tests hold it to ``evaluator score --method M --normalization N --weight
C1=v1 ... --weight Cn=vn`` (one --weight per criterion) for winner-changing weight vectors,
on the test libraries ``mini`` (zeros in its matrix: ratio rules refused) and ``positive``
(every cell > 0). Each report is built once and its page reused across the vectors.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from conftest import GENERATED_AT, Page
from helpers import ASSETS, MINI
from typer.testing import CliRunner

from evaluator.cli import app
from evaluator.evaluation import Evaluation, as_library, evaluate
from evaluator.model import Library
from evaluator.report import build_report, write_report
from evaluator.scoring import NORMALIZATIONS, order, rank
from evaluator.scoring.prepared import AggregationParts, aggregate
from evaluator.weights import profile_weights

pytestmark = pytest.mark.browser

POSITIVE = ASSETS / "positive"
LIBRARIES = {"mini": MINI, "positive": POSITIVE}
NORMALIZING = ("weighted-sum", "weighted-product", "topsis")

#: What ``evaluator score --method M --normalization N`` accepts on each test library
#: (checked against the CLI below). Every other normalizing pair exits 1: ``sum`` and
#: ``linear`` refuse mini's zeros; the weighted product refuses any rule giving a factor
#: <= 0 (``minmax`` always maps a column's worst option to 0; on mini every rule but
#: ``offset-minmax`` meets a zero).
ACCEPTED: dict[str, dict[str, tuple[str, ...]]] = {
    "mini": {
        "weighted-sum": ("minmax", "vector", "offset-minmax", "none"),
        "weighted-product": ("offset-minmax",),
        "topsis": ("minmax", "vector", "offset-minmax", "none"),
    },
    "positive": {
        "weighted-sum": NORMALIZATIONS,
        "weighted-product": ("sum", "linear", "vector", "offset-minmax", "none"),
        "topsis": NORMALIZATIONS,
    },
}
PAIRS: list[tuple[str, str, str | None]] = [
    *[(lib, m, n) for lib, table in ACCEPTED.items() for m, norms in table.items() for n in norms],
    *[(lib, m, None) for lib in LIBRARIES for m in ("promethee-ii", "vikor")],
]

runner = CliRunner()


def pair_id(pair: tuple[str, str, str | None]) -> str:
    lib, method, normalization = pair
    return f"{lib}-{method}" + (f"-{normalization}" if normalization else "")


def cli_score(lib: str, method: str, normalization: str | None, *extra: str) -> Any:
    args = ["score", str(LIBRARIES[lib]), "--method", method, "--format", "json", *extra]
    if normalization:
        args += ["--normalization", normalization]
    return runner.invoke(app, args)


@pytest.mark.parametrize("lib", LIBRARIES)
@pytest.mark.parametrize("method", NORMALIZING)
def test_accepted_pairs_are_what_the_cli_accepts(lib: str, method: str) -> None:
    """The table the browser tests cover is the CLI's own: accepted exit 0, others exit 1."""
    for normalization in NORMALIZATIONS:
        result = cli_score(lib, method, normalization)
        accepted = normalization in ACCEPTED[lib][method]
        assert result.exit_code == (0 if accepted else 1), (normalization, result.stderr)
        if not accepted:
            assert "offset-minmax" in result.stderr  # the refusal suggests the safe rule


@pytest.fixture(scope="module")
def libraries() -> dict[str, Library]:
    return {name: as_library(path) for name, path in LIBRARIES.items()}


@pytest.fixture(scope="module")
def pair_reports(
    tmp_path_factory: pytest.TempPathFactory, libraries: dict[str, Library]
) -> dict[str, Path]:
    """One report per (library, method, normalization), few Monte Carlo draws."""
    root = tmp_path_factory.mktemp("pairs")
    out = {}
    for pair in PAIRS:
        lib, method, normalization = pair
        html = build_report(
            libraries[lib],
            method=method,
            normalization=normalization,
            samples=50,
            generated_at=GENERATED_AT,
        )
        path = root / f"{pair_id(pair)}.html"
        write_report(path, html)
        out[pair_id(pair)] = path
    return out


@pytest.fixture(scope="module")
def tab(browser: Any) -> Iterator[Page]:
    """One browser tab for the module; each test loads its report into it."""
    page = Page(browser, "about:blank")
    yield page
    page.close()


@pytest.fixture
def open_page(tab: Page) -> Any:
    def make(path: Path) -> Page:
        tab.open(path.as_uri())
        return tab

    return make


def weight_vectors(library: Library, seed: int = 5) -> list[dict[str, float]]:
    """Profiles; each criterion alone (ties appear, the winner changes); random, with zeros."""
    ids = [c.id for c in library.all_criteria]
    vectors = [
        dict(zip(ids, profile_weights(p, ids).tolist(), strict=True)) for p in library.profiles
    ]
    vectors += [{c: float(k == j) for k, c in enumerate(ids)} for j in range(len(ids))]
    rng = np.random.default_rng(seed)
    for trial in range(4):
        v = np.round(rng.random(len(ids)), 3)
        if trial % 2 == 0:
            v[rng.integers(len(ids))] = 0.0
        vectors.append(dict(zip(ids, v.tolist(), strict=True)))
    return vectors


def shown(ev: Evaluation) -> tuple[list[str], list[str]]:
    """Option ids in rank order and the rank text the page shows for them."""
    ids = [ev.option_ids[int(i)] for i in ev.order]
    ranks = [ev.ranks[int(i)] for i in ev.order]
    return ids, [str(int(r)) if r.is_integer() else f"{r:.1f}" for r in ranks]


@pytest.mark.parametrize("pair", PAIRS, ids=pair_id)
def test_sliders_rank_like_evaluator_score(
    pair: tuple[str, str, str | None],
    open_page: Any,
    pair_reports: dict[str, Path],
    libraries: dict[str, Library],
) -> None:
    lib, method, normalization = pair
    library = libraries[lib]
    run = {"method": method, "normalization": normalization}
    page = open_page(pair_reports[pair_id(pair)])
    assert page.alert() is None  # the embedded ranking was reproduced on load
    assert (page.live_order(), page.live_ranks()) == shown(
        evaluate(library, weights=page.slider_values(), **run)
    )
    winners = set()
    sliders: dict[str, float] = {}
    for values in weight_vectors(library):
        sliders, live, ranks = page.apply(values)
        assert sliders == pytest.approx(values)
        expected = shown(evaluate(library, weights=sliders, **run))
        assert (live, ranks) == expected, values
        winners.add(expected[0][0])
    assert len(winners) > 1, "no vector changed the winner"
    # the last vector through the command line itself, one --weight per slider
    flags = [f"--weight={c}={v!r}" for c, v in sliders.items()]
    result = cli_score(lib, method, normalization, *flags)
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    assert [r["option"] for r in doc["ranking"]] == page.live_order()
    assert [str(r["rank"]) for r in doc["ranking"]] == page.live_ranks()
    page.clean()


def embedded(html: str) -> dict[str, Any]:
    match = re.search(r'<script type="application/json" id="slider-data">(.*?)</script>', html)
    assert match is not None
    data: dict[str, Any] = json.loads(match.group(1))
    return data


def with_data(html: str, data: dict[str, Any]) -> str:
    text = json.dumps(data, sort_keys=True).replace("<", "\\u003c")
    return re.sub(
        r'(<script type="application/json" id="slider-data">).*?(</script>)',
        lambda m: m.group(1) + text + m.group(2),
        html,
        count=1,
    )


def parts_of(method: str, prepared: dict[str, Any]) -> AggregationParts:
    def vec(key: str) -> Any:
        return np.asarray(prepared[key]) if key in prepared else None

    return AggregationParts(
        method,
        np.asarray(prepared["values"]),
        ideal=vec("ideal"),
        anti_ideal=vec("antiIdeal"),
        v=prepared.get("v"),
        degenerate_rtol=prepared.get("degenerateRtol"),
    )


@pytest.mark.parametrize(
    "method", ["weighted-sum", "weighted-product", "topsis", "promethee-ii", "vikor"]
)
def test_ranking_follows_perturbed_embedded_parts(
    method: str, open_page: Any, libraries: dict[str, Library], tmp_path: Path
) -> None:
    """Rows of the embedded parts rotated: the page ranks by them (it has no other copy of
    the data) and, since they no longer give the report's ranking, says so on load."""
    library = libraries["positive"]
    html = build_report(library, method=method, samples=20, generated_at=GENERATED_AT)
    data = embedded(html)
    data["prepared"]["values"] = np.roll(data["prepared"]["values"], 1, axis=0).tolist()
    path = tmp_path / "perturbed.html"
    write_report(path, with_data(html, data))
    page = open_page(path)
    banner = page.alert()
    assert banner is not None
    assert "does not reproduce" in banner
    parts = parts_of(method, data["prepared"])
    ids = [o["id"] for o in data["options"]]
    hib = data["higherIsBetter"]
    differs = 0
    for values in weight_vectors(library):
        sliders, live, ranks = page.apply(values)
        w = np.asarray([sliders[c] for c in data["criteria"]])
        scores = aggregate(parts, w / w.sum())
        expected = [ids[int(i)] for i in order(scores, ids, higher_is_better=hib)]
        assert live == expected, values
        by_id = dict(zip(ids, rank(scores, higher_is_better=hib).tolist(), strict=True))
        assert ranks == [
            str(int(by_id[o])) if by_id[o] % 1 == 0 else f"{by_id[o]:.1f}" for o in live
        ]
        differs += expected != shown(evaluate(library, method=method, weights=values))[0]
    assert differs > 0
    page.clean()


def test_unperturbed_page_shows_no_alert_and_the_banner_is_an_alert(
    open_page: Any, pair_reports: dict[str, Path]
) -> None:
    page = open_page(pair_reports["positive-topsis-vector"])
    assert page.alert() is None
    assert page.page.locator("#live-check").get_attribute("role") == "alert"
    page.clean()
