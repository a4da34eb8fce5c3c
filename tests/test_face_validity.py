"""Face validity of the shipped library, pinned (the table in scenarios/README.md).

For each of the five articles: the conclusion its author states (quoted from the seed), the
profile closest to its school, and what its own lens (``--lens SOURCE --lens-mode own``) ranks
first and last among the options the article discusses. The textual facts the table relies on
(the conclusion is in the article, the profile cites it, the bargain includes the air campaign,
the effects sit on the criteria the articles name) are pinned too, so an edit that breaks the
table fails here rather than silently.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

REPO = Path(__file__).resolve().parents[1]
LIBRARY = REPO / "scenarios"
CORPUS = REPO.parent / "shared" / "seeds"

#: source id -> seed document, profile of its school, stated conclusion, and the top (and where
#: the table names it, second) and bottom options of its own lens among the options it discusses.
ARTICLES: dict[str, dict[str, Any]] = {
    "terror-gift-russia": {
        "document": "000_f1679ddc9c757593.txt",
        "number": "000",
        "profile": "added-value-realist",
        "conclusion": (
            "The challenge for the West is to approach counterterrorist cooperation with Russia "
            "with a realistic assessment of Moscow’s added value before striking broader "
            "geopolitical deals."
        ),
        "top": {"lower-level-contact"},
        "second": "joint-air-campaign",
        "bottom": "grand-bargain",
    },
    "inch-toward-terror": {
        "document": "001_60d3a30f49c8a37c.txt",
        "number": "001",
        "profile": "counter-terror-first",
        "conclusion": (
            "If the Obama administration chooses to pick up the gauntlet which Lavrov laid down "
            "in Canada Monday, Moscow will reciprocate by pooling its military and intelligence "
            "resources with the US-led military effort in Afghanistan and other terrorist "
            "bastions."
        ),
        "top": {"afghanistan-transit-corridor"},
        "bottom": "decline-and-pressure",
    },
    "us-russia-ct-cooperation": {
        "document": "002_025f274c0751b768.txt",
        "number": "002",
        "profile": "strict-framework",
        "conclusion": (
            "Setbacks and violations are inevitable, but so long as they are not exceedingly "
            "frequent or severe, the benefits of coordinating efforts and cooperation in specific "
            "instances should be sufficient to justify continuing the initiative."
        ),
        "top": {"decline-and-pressure"},
        "bottom": "grand-bargain",
    },
    "face-ripped-off": {
        "document": "003_a9d887f0d1596117.txt",
        "number": "003",
        "profile": "moscow-sceptic",
        "conclusion": "It may be worth a try, but watch out you don’t lose your face.",
        "top": {"lower-level-contact"},
        "bottom": "grand-bargain",
    },
    "never-honest-broker": {
        "document": "004_f2f7a4e2284e7d9a.txt",
        "number": "004",
        "profile": "moscow-sceptic",
        "conclusion": (
            "Western policymakers should recognize Moscow’s true intentions and condemn its "
            "support for terrorist groups."
        ),
        "top": {"decline-and-pressure"},
        "bottom": "grand-bargain",
    },
}

#: Article 002 recommends its capacity programme on the condition that Russia agrees to the
#: framework and keeps violations tolerable; with both conditions met its lens agrees.
CONDITIONAL_002 = ["--assume", "cap-pre-framework=met", "--assume", "cap-pre-compliance=met"]


def _norm(text: str) -> str:
    text = text.replace("\u2019", "'").replace("\u2018", "'")
    text = text.replace("\u201c", '"').replace("\u201d", '"')
    text = re.sub(r"[\u2010-\u2015\u2212]", "-", text)
    text = re.sub(r"-\s+", "-", text)
    return re.sub(r"\s+", " ", text).strip()


def _score(profile: str, lens: str, *extra: str) -> list[dict[str, Any]]:
    from evaluator.cli import app

    args = ["score", str(LIBRARY), "--profile", profile, "--lens", lens, "--lens-mode", "own"]
    args += extra
    result = CliRunner().invoke(app, [*args, "--format", "json"])
    assert result.exit_code == 0, f"stdout:\n{result.stdout}\nstderr:\n{result.stderr}"
    ranking: list[dict[str, Any]] = json.loads(result.stdout)["ranking"]
    return ranking


def _discussed(ranking: list[dict[str, Any]]) -> list[str]:
    """Option ids in rank order, keeping only the options the lens's source discusses."""
    rows = sorted(ranking, key=lambda row: row["rank"])
    return [row["option"] for row in rows if row.get("discussed", True)]


@pytest.fixture(scope="module")
def library() -> Any:
    from evaluator.library import load_library

    return load_library(LIBRARY)


@pytest.mark.parametrize("source", sorted(ARTICLES))
def test_conclusion_is_quoted_from_the_article(source: str) -> None:
    if not CORPUS.is_dir():
        pytest.skip(f"corpus directory {CORPUS} is absent")
    article = ARTICLES[source]
    text = (CORPUS / article["document"]).read_text(encoding="utf-8")
    assert _norm(article["conclusion"]) in _norm(text)


@pytest.mark.parametrize("source", sorted(ARTICLES))
def test_readme_table_quotes_each_conclusion(source: str) -> None:
    readme = _norm((LIBRARY / "README.md").read_text(encoding="utf-8"))
    assert _norm(ARTICLES[source]["conclusion"]) in readme


@pytest.mark.parametrize("source", sorted(ARTICLES))
def test_profile_exists_and_cites_the_article(library: Any, source: str) -> None:
    article = ARTICLES[source]
    profiles = {p.id: p for p in library.profiles}
    assert article["profile"] in profiles
    assert {s.id: s.document for s in library.sources}[source] == article["document"]
    description = profiles[article["profile"]].description
    assert re.search(rf"\barticles?\b.*\b{article['number']}\b", description), description


def test_composite_profiles_say_so(library: Any) -> None:
    profiles = {p.id: p for p in library.profiles}
    assert "analyst's composite" in profiles["alliances-and-values"].description
    assert "no author holds" in profiles["engagement-reset"].description


@pytest.mark.parametrize("source", sorted(ARTICLES))
def test_own_lens_top_and_bottom(source: str) -> None:
    article = ARTICLES[source]
    discussed = _discussed(_score(article["profile"], source))
    assert discussed[0] in article["top"], discussed
    if "second" in article:
        assert discussed[1] == article["second"], discussed
    assert discussed[-1] == article["bottom"], discussed


def test_002_lens_agrees_once_its_conditions_hold() -> None:
    """002's recommendation is conditional on its framework; met, its option leads."""
    discussed = _discussed(_score("strict-framework", "us-russia-ct-cooperation", *CONDITIONAL_002))
    assert discussed[0] == "partner-capacity", discussed
    assert discussed.index("partner-capacity") < discussed.index("joint-air-campaign")
    assert discussed[-1] == "grand-bargain", discussed


@pytest.mark.parametrize("gaps", ["zero", "worst"])
def test_001_lens_puts_pooling_first_unless_gaps_take_the_median(gaps: str) -> None:
    """The README explains 001's neutral ranking by its gaps: without the median, pooling leads."""
    discussed = _discussed(_score("counter-terror-first", "inch-toward-terror", "--gaps", gaps))
    assert discussed[0] == "afghanistan-force-pooling", discussed
    assert discussed[-1] == "decline-and-pressure", discussed


@pytest.mark.parametrize("gaps", ["zero", "worst"])
def test_004_lens_is_robust_to_the_gap_policy(gaps: str) -> None:
    discussed = _discussed(_score("moscow-sceptic", "never-honest-broker", "--gaps", gaps))
    assert discussed[0] == "decline-and-pressure", discussed
    assert discussed[-1] == "grand-bargain", discussed


def test_002_prefers_capacity_building_to_the_air_campaign() -> None:
    """'risks that can be mitigated' against 'risks that are nearly impossible to mitigate'."""
    discussed = _discussed(_score("strict-framework", "us-russia-ct-cooperation"))
    assert discussed.index("partner-capacity") < discussed.index("joint-air-campaign")


def test_grand_bargain_buys_the_air_campaign(library: Any) -> None:
    options = {o.id: o for o in library.options}
    assert list(options["grand-bargain"].includes) == ["joint-air-campaign"]
    if CORPUS.is_dir():
        text = _norm((CORPUS / ARTICLES["us-russia-ct-cooperation"]["document"]).read_text())
        assert "in exchange for a joint air campaign" in text


def test_effects_sit_on_the_criterion_the_articles_name(library: Any) -> None:
    items = {
        item.id: (kind, item.criterion)
        for o in library.options
        for kind, group in (("benefit", o.benefits), ("risk", o.risks))
        for item in group
    }
    # "Establishing common rules of engagement could reduce ... collateral damage" (002).
    assert items["air-benefit-collateral-reduction"] == ("benefit", "values-harm")
    # "Acquiescing to Moscow ... will ensure the proliferation of conflicts" (004).
    assert items["bargain-risk-proliferation"] == ("risk", "regional-stability")
    # "further sour US-Russian relations" (002).
    assert items["cap-risk-soured-relations"] == ("risk", "bilateral-trust")


def test_sources_discuss_what_the_table_says(library: Any) -> None:
    """Which articles speak to which option (own assessments only, includes not counted)."""
    speakers: dict[str, set[str]] = {}
    for o in library.options:
        for item in (*o.benefits, *o.risks, *o.preconditions):
            for a in item.assessments:
                speakers.setdefault(o.id, set()).add(a.source)
    assert speakers["partner-capacity"] == {"us-russia-ct-cooperation"}
    assert speakers["justice-cooperation"] == {"inch-toward-terror"}
    assert "never-honest-broker" not in speakers["intelligence-sharing"]
    assert "terror-gift-russia" not in speakers["afghanistan-force-pooling"]
    assert speakers["lower-level-contact"] == {"face-ripped-off", "terror-gift-russia"}
    assert speakers["grand-bargain"] == set(ARTICLES) - {"inch-toward-terror"}
