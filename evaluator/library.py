"""Load a scenario library directory into a validated ``model.Library``.

Every problem found is collected, located (file, line, column, field path) and raised
together in one ``LibraryError``, so a user fixes a whole batch per run, not one at a time.
"""

from __future__ import annotations

import difflib
import hashlib
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import Any

from pydantic import BaseModel, ValidationError

from . import corpus as corpus_check
from . import lint
from .errors import InputError, LibraryError, Problem
from .model import (
    FEASIBILITY_ID,
    Benefit,
    Criterion,
    Library,
    Option,
    Precondition,
    Profile,
    Risk,
    Source,
    Unaffected,
    carried_options,
)
from .safety import check_library_dir, display_path, find_option_files, read_library_file
from .yaml_reader import Document, Path_, ReadError, format_path, read_document

SUFFIXES = (".yaml", ".yml", ".json")
TOP_FILES = ("sources", "criteria", "profiles")
OPTIONS_DIR = "options"

_ALL_FIELDS = sorted(
    {name for model in (Source, Criterion, Profile, Option) for name in model.model_fields}
    | set(Benefit.model_fields)
    | set(Risk.model_fields)
    | set(Unaffected.model_fields)
    | {"also_for", "assessments", "likelihood", "mitigable", "quote", "source", "magnitude"}
)


@dataclass
class _File:
    display: str
    relative: str
    doc: Document


def load_library(
    path: str | os.PathLike[str],
    *,
    corpus: str | os.PathLike[str] | None = None,
    warnings: list[Problem] | None = None,
) -> Library:
    """Read, validate and cross-check a library; with ``corpus``, check every quote too.

    Raises ``InputError`` when ``path`` is not a directory and ``LibraryError`` carrying
    every located problem when anything in the files is wrong. Given a ``warnings`` list,
    appends the lint of a valid library to it (:mod:`evaluator.lint`: gaps, reused quotes,
    near-duplicate items), each located.
    """
    display_root = display_path(os.fspath(path))
    root = Path(path)
    if not root.is_dir():
        raise InputError(
            f"{display_root}: not a library directory (expected sources.yaml, "
            "criteria.yaml, profiles.yaml and options/)"
        )
    check_library_dir(root, display_root)
    problems: list[Problem] = []
    files: dict[str, list[_File]] = {name: [] for name in (*TOP_FILES, OPTIONS_DIR)}
    digest = hashlib.sha256()
    for relative, kind in _discover(root, display_root, problems):
        display = os.path.join(display_root, relative)
        try:
            raw = read_library_file(root / relative, display)
            digest.update(relative.replace(os.sep, "/").encode() + b"\0" + raw + b"\0")
            files[kind].append(_File(display, relative, read_document(raw, display)))
        except ReadError as exc:
            problems.append(exc.problem)

    sources = _validate_list(files["sources"], Source, problems)
    criteria = _validate_list(files["criteria"], Criterion, problems)
    profiles = _validate_list(files["profiles"], Profile, problems)
    options: list[tuple[Option, _File]] = []
    for file in files[OPTIONS_DIR]:
        option = _validate_one(file, Option, (), problems)
        if option is not None:
            options.append((option, file))

    if not problems and not options:
        problems.append(
            Problem(
                os.path.join(display_root, OPTIONS_DIR),
                0,
                0,
                "",
                "empty-library",
                "the library has no options; add one with `evaluator new ID`",
            )
        )
    # What failed to load cannot be referred to: "unknown" errors against it would repeat
    # one mistake in every file that names what it defines.
    incomplete = {_collection_of(problem.file, display_root) for problem in problems}
    _check_references(sources, criteria, profiles, options, problems, incomplete)
    option_files = {option.id: file.display for option, file in options}
    if not problems:
        problems.extend(_check_quotes(sources, options, corpus))
    if problems:
        raise LibraryError(problems)
    if warnings is not None:
        warnings.extend(_lint(options, [c.id for c, _ in criteria]))
    return Library(
        name=root.resolve().name,
        sources=[s for s, _ in sources],
        criteria=[c for c, _ in criteria],
        profiles=[p for p, _ in profiles],
        options=[o for o, _ in options],
        option_files=option_files,
        digest=digest.hexdigest(),
    )


def _lint(options: list[tuple[Option, _File]], criteria: list[str]) -> list[Problem]:
    files = [lint.LintFile(o, f.display, f.doc.locate) for o, f in options]
    found = [
        *lint.gaps(files, [*criteria, FEASIBILITY_ID]),
        *lint.reused_quotes(files),
        *lint.near_duplicates(files),
    ]
    return sorted(found, key=lambda p: (p.file, p.line, p.column, p.field))


def _discover(root: Path, display_root: str, problems: list[Problem]) -> Iterator[tuple[str, str]]:
    for name in TOP_FILES:
        # lexists, not is_file: a directory or a broken link of that name is reported as
        # such when read, not as a missing file.
        found = [f"{name}{s}" for s in SUFFIXES if os.path.lexists(root / f"{name}{s}")]
        if not found:
            problems.append(
                Problem(
                    os.path.join(display_root, f"{name}.yaml"),
                    0,
                    0,
                    "",
                    "missing-file",
                    f"missing {name}.yaml (YAML or JSON)",
                )
            )
        for extra in found[1:]:
            problems.append(
                Problem(
                    os.path.join(display_root, extra),
                    0,
                    0,
                    "",
                    "duplicate-file",
                    f"both {found[0]} and {extra} exist; keep one",
                )
            )
        if found:
            yield found[0], name
    options_dir = root / OPTIONS_DIR
    if not options_dir.is_dir():
        problems.append(
            Problem(
                os.path.join(display_root, OPTIONS_DIR),
                0,
                0,
                "",
                "missing-file",
                "missing options/ directory (one YAML file per option)",
            )
        )
        return
    for found_file in find_option_files(options_dir, root, display_root, SUFFIXES):
        if isinstance(found_file, Problem):
            problems.append(found_file)
        else:
            yield found_file, OPTIONS_DIR


def _validate_list(
    files: list[_File], model: type[BaseModel], problems: list[Problem]
) -> list[tuple[Any, tuple[_File, Path_]]]:
    out: list[tuple[Any, tuple[_File, Path_]]] = []
    for file in files:
        data = file.doc.data
        if not isinstance(data, list):
            problems.append(
                Problem(
                    file.display,
                    1,
                    1,
                    "",
                    "wrong-type",
                    f"must be a list of {model.__name__.lower()} entries (got {_kind(data)})",
                )
            )
            continue
        if not data:
            problems.append(Problem(file.display, 1, 1, "", "empty-file", "the list is empty"))
        for index in range(len(data)):
            item = _validate_one(file, model, (index,), problems)
            if item is not None:
                out.append((item, (file, (index,))))
    return out


def _validate_one(file: _File, model: type[BaseModel], path: Path_, problems: list[Problem]) -> Any:
    data: Any = file.doc.data
    for part in path:
        data = data[part]
    if not isinstance(data, dict):
        line, column = file.doc.locate(path)
        problems.append(
            Problem(
                file.display,
                line,
                column,
                format_path(path),
                "wrong-type",
                f"must be a mapping of fields (got {_kind(data)})",
            )
        )
        return None
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems.extend(_translate(exc, file, path, data))
        return None


def _translate(exc: ValidationError, file: _File, prefix: Path_, data: Any) -> list[Problem]:
    """Pydantic errors -> located problems in plain words, one per field."""
    out: dict[str, Problem] = {}
    for err in exc.errors():
        loc = _data_path(data, err["loc"])
        full = (*prefix, *loc)
        kind = err["type"]
        got = err.get("input")
        ctx = err.get("ctx") or {}
        key = False
        if kind == "missing":
            code, message = "missing-field", f"required field '{loc[-1]}' is missing"
            line, column = file.doc.locate(full[:-1])
        else:
            if kind == "extra_forbidden":
                code, key = "unknown-field", True
                near = difflib.get_close_matches(str(loc[-1]), _ALL_FIELDS, n=1)
                hint = f"; did you mean '{near[0]}'?" if near else ""
                message = f"unknown field '{loc[-1]}'{hint}"
            elif kind in ("out_of_range", "unknown_term", "wrong_type", "invalid_value"):
                code, message = kind.replace("_", "-"), err["msg"]
            elif kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
                code, message = "out-of-range", f"{err['msg'].lower()} (got {got!r})"
            elif kind == "string_pattern_mismatch":
                code = "invalid-value"
                message = (
                    f"must be a kebab-case slug: lowercase letters, digits, hyphens (got {got!r})"
                )
            elif kind in ("too_short", "string_too_short"):
                code, message = "invalid-value", "must not be empty"
            elif kind == "literal_error":
                code, message = "invalid-value", f"must be {ctx.get('expected', '')} (got {got!r})"
            elif kind.endswith(("_type", "_parsing")) or kind in ("model_attributes_type",):
                code = "wrong-type"
                message = f"{err['msg'].replace('Input should be', 'must be')} (got {_kind(got)})"
            else:
                code, message = "invalid-value", err["msg"].removeprefix("Value error, ")
            line, column = file.doc.locate(full, key=key)
        field = format_path(full)
        out.setdefault(field, Problem(file.display, line, column, field, code, message))
    return list(out.values())


def _data_path(data: Any, loc: Iterable[Any]) -> Path_:
    """Drop pydantic's union-member tags from ``loc`` so it matches the data."""
    path: list[str | int] = []
    current = data
    for part in loc:
        if isinstance(part, int) and isinstance(current, list) and part < len(current):
            path.append(part)
            current = current[part]
        elif isinstance(part, str) and isinstance(current, dict):
            path.append(part)
            current = current.get(part)
    return tuple(path)


def _kind(value: Any) -> str:
    names = {
        dict: "a mapping",
        list: "a list",
        str: "text",
        bool: "true/false",
        type(None): "nothing",
    }
    if isinstance(value, str):
        return f"text {value!r}" if len(value) < 40 else "text"
    for kind, name in names.items():
        if isinstance(value, kind):
            return name
    return type(value).__name__


def _collection_of(display: str, display_root: str) -> str | None:
    """Which collection (``sources``, ``criteria``, ``profiles``, ``options``) a file is."""
    first = PurePath(os.path.relpath(display, display_root)).parts[0]
    if first == OPTIONS_DIR:
        return OPTIONS_DIR
    stem = first.split(".")[0]
    return stem if stem in TOP_FILES else None


def _check_references(
    sources: list[tuple[Source, tuple[_File, Path_]]],
    criteria: list[tuple[Criterion, tuple[_File, Path_]]],
    profiles: list[tuple[Profile, tuple[_File, Path_]]],
    options: list[tuple[Option, _File]],
    problems: list[Problem],
    incomplete: set[str | None] | None = None,
) -> None:
    """Cross-file checks. A reference into a collection in ``incomplete`` (one with a file
    or entry that failed to load) is not called unknown: the name may be defined there."""
    partial = incomplete or set()

    def add(
        file: _File, path: Path_, code: str, message: str, refers_to: str | None = None
    ) -> None:
        if refers_to is not None and refers_to in partial:
            return
        line, column = file.doc.locate(path)
        problems.append(Problem(file.display, line, column, format_path(path), code, message))

    def unique(items: Iterable[tuple[str, _File, Path_]], what: str) -> None:
        first: dict[str, tuple[_File, Path_]] = {}
        for item_id, file, path in items:
            if item_id in first:
                other, other_path = first[item_id]
                line, _ = other.doc.locate(other_path)
                add(
                    file,
                    path,
                    "duplicate-id",
                    f"{what} id '{item_id}' is already used at {other.display}:{line}",
                )
            else:
                first[item_id] = (file, path)

    unique(((s.id, f, (*p, "id")) for s, (f, p) in sources), "source")
    unique(((c.id, f, (*p, "id")) for c, (f, p) in criteria), "criterion")
    unique(((p.id, f, (*pp, "id")) for p, (f, pp) in profiles), "profile")
    unique(_item_ids(options), "item")

    for criterion, (file, path) in criteria:
        if criterion.id == FEASIBILITY_ID:
            add(
                file,
                (*path, "id"),
                "reserved-id",
                "'feasibility' is built in (computed from preconditions); do not declare it",
            )
    source_ids = {s.id for s, _ in sources}
    declared = [c.id for c, _ in criteria if c.id != FEASIBILITY_ID]
    all_ids = [*declared, FEASIBILITY_ID]

    for option, file in options:
        for kind in ("benefits", "risks"):
            for i, effect in enumerate(getattr(option, kind)):
                _check_criterion(add, file, (kind, i, "criterion"), effect.criterion, declared)
        for kind in ("benefits", "risks", "preconditions"):
            for i, item in enumerate(getattr(option, kind)):
                for j, view in enumerate(item.assessments):
                    _check_source(
                        add, file, (kind, i, "assessments", j, "source"), view.source, source_ids
                    )
                _check_one_view_per_source(
                    add, file, (kind, i), [a.source for a in item.assessments]
                )
        for i, quiet in enumerate(option.unaffected):
            for j, quoted in enumerate(quiet.sources):
                _check_source(
                    add, file, ("unaffected", i, "sources", j, "source"), quoted.source, source_ids
                )
    _check_includes(add, options)
    _check_also_for(add, options)
    _check_unaffected(add, options, all_ids)

    for profile, (file, path) in profiles:
        _check_profile(add, file, path, profile, all_ids)


def _item_ids(options: list[tuple[Option, _File]]) -> Iterator[tuple[str, _File, Path_]]:
    for option, file in options:
        yield option.id, file, ("id",)
        for kind in ("benefits", "risks", "preconditions"):
            for i, item in enumerate(getattr(option, kind)):
                yield item.id, file, (kind, i, "id")


def _check_criterion(
    add: Any, file: _File, path: Path_, criterion: str, declared: list[str]
) -> None:
    known = ", ".join(declared) or "none declared"
    if criterion == FEASIBILITY_ID:
        add(
            file,
            path,
            "reserved-id",
            "feasibility is computed from preconditions; state a condition as a precondition, "
            f"or name a declared criterion: {known}",
        )
    elif criterion not in declared:
        add(
            file,
            path,
            "unknown-reference",
            f"unknown criterion '{criterion}'; criteria are: {known}",
            "criteria",
        )


def _check_includes(add: Any, options: list[tuple[Option, _File]]) -> None:
    """Included options must exist, and no option may include itself, even through others."""
    by_id = {o.id: (o, f) for o, f in options}
    for option, file in options:
        for i, other in enumerate(option.includes):
            if other not in by_id:
                known = ", ".join(sorted(by_id)) or "none"
                add(
                    file,
                    ("includes", i),
                    "unknown-reference",
                    f"unknown option '{other}'; options are: {known}",
                    OPTIONS_DIR,
                )
    # Depth-first search for a cycle; report it once, at the first include of the cycle.
    state: dict[str, int] = {}  # 1 on the stack, 2 done

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        option, file = by_id[node]
        for i, other in enumerate(option.includes):
            if other not in by_id:
                continue
            if state.get(other) == 1:
                cycle = (
                    [*trail[trail.index(other) :], node, other]
                    if other in trail
                    else [
                        node,
                        other,
                    ]
                )
                add(
                    file,
                    ("includes", i),
                    "include-cycle",
                    f"includes form a cycle: {' -> '.join(dict.fromkeys(cycle))} -> {other}",
                )
            elif other not in state:
                visit(other, [*trail, node])
        state[node] = 2

    for option, _ in options:
        if option.id not in state:
            visit(option.id, [])


def _check_also_for(add: Any, options: list[tuple[Option, _File]]) -> None:
    """``also_for`` must name another item of the library."""
    ids = {item.id for option, _ in options for item in _own_items(option)}
    for option, file in options:
        for kind in ("benefits", "risks", "preconditions"):
            for i, item in enumerate(getattr(option, kind)):
                for j, view in enumerate(item.assessments):
                    target = view.also_for
                    if target is None:
                        continue
                    path = (kind, i, "assessments", j, "also_for")
                    if target == item.id:
                        message = "also_for names this same item; name the other item"
                        add(file, path, "unknown-reference", message)
                    elif target not in ids:
                        message = f"unknown item '{target}' (also_for names another item's id)"
                        add(file, path, "unknown-reference", message, OPTIONS_DIR)


def _check_unaffected(add: Any, options: list[tuple[Option, _File]], all_ids: list[str]) -> None:
    """A declaration must name a criterion the option (with its includes) has no item on."""
    by_id = {o.id: o for o, _ in options}
    for option, file in options:
        carried = carried_options(option, by_id)
        with_items = {b.criterion for o in carried for b in o.benefits}
        with_items.update(r.criterion for o in carried for r in o.risks)
        has_preconditions = any(o.preconditions for o in carried)
        seen: set[str] = set()
        for i, quiet in enumerate(option.unaffected):
            path = ("unaffected", i, "criterion")
            name = quiet.criterion
            if name not in all_ids:
                add(
                    file,
                    path,
                    "unknown-reference",
                    f"unknown criterion '{name}'; criteria are: {', '.join(all_ids)}",
                    "criteria",
                )
            elif name in seen:
                add(file, path, "duplicate-id", f"'{name}' is declared unaffected twice")
            elif name == FEASIBILITY_ID and has_preconditions:
                add(
                    file,
                    path,
                    "unaffected-conflict",
                    "the option has preconditions, so its feasibility is computed from them; "
                    "remove this declaration or the preconditions",
                )
            elif name in with_items:
                add(
                    file,
                    path,
                    "unaffected-conflict",
                    f"the option has benefits or risks on '{name}'; a criterion with evidence "
                    "cannot also be declared unaffected",
                )
            seen.add(name)


def _own_items(option: Option) -> Iterator[Benefit | Risk | Precondition]:
    yield from option.benefits
    yield from option.risks
    yield from option.preconditions


def _check_source(add: Any, file: _File, path: Path_, source: str, known: set[str]) -> None:
    if source not in known:
        add(
            file,
            path,
            "unknown-reference",
            f"unknown source '{source}'; known sources: {', '.join(sorted(known)) or 'none'}",
            "sources",
        )


def _check_one_view_per_source(add: Any, file: _File, path: Path_, sources: list[str]) -> None:
    seen: set[str] = set()
    for j, source in enumerate(sources):
        if source in seen:
            add(
                file,
                (*path, "assessments", j, "source"),
                "duplicate-id",
                f"source '{source}' already assesses this item; one assessment per source",
            )
        seen.add(source)


def _check_profile(
    add: Any, file: _File, path: Path_, profile: Profile, all_ids: list[str]
) -> None:
    known = ", ".join(all_ids)
    if profile.weights is not None:
        for name in profile.weights:
            if name not in all_ids:
                add(
                    file,
                    (*path, "weights", name),
                    "unknown-reference",
                    f"unknown criterion '{name}'; criteria are: {known}",
                    "criteria",
                )
        missing = [c for c in all_ids if c not in profile.weights]
        if missing:
            add(
                file,
                (*path, "weights"),
                "incomplete-profile",
                f"no weight for {', '.join(missing)}; give every criterion a weight (0 allowed)",
            )
        return
    seen: set[str] = set()
    for i, entry in enumerate(profile.ranking or []):
        names = [entry] if isinstance(entry, str) else entry
        for name in names:
            if name not in all_ids:
                add(
                    file,
                    (*path, "ranking", i),
                    "unknown-reference",
                    f"unknown criterion '{name}'; criteria are: {known}",
                    "criteria",
                )
            elif name in seen:
                add(file, (*path, "ranking", i), "duplicate-id", f"'{name}' is ranked twice")
            seen.add(name)
    missing = [c for c in all_ids if c not in seen]
    if missing:
        add(
            file,
            (*path, "ranking"),
            "incomplete-profile",
            f"the ranking leaves out {', '.join(missing)}; rank every criterion once",
        )


def _check_quotes(
    sources: list[tuple[Source, tuple[_File, Path_]]],
    options: list[tuple[Option, _File]],
    corpus: str | os.PathLike[str] | None,
) -> list[Problem]:
    """Every quote is six words or more; with a corpus, each is found in its document."""
    documents: dict[str, str | None] = {}
    problems: list[Problem] = []
    if corpus is not None:
        documents, problems = _read_corpus(sources, corpus)
    names = {s.id: s.document for s, _ in sources}
    for option, file in options:
        for path, source_id, quote in _quotes(option):
            message = corpus_check.check_length(quote)
            code = "quote-too-short"
            if not message and documents.get(source_id) is not None:
                message = corpus_check.check_quote(
                    quote, documents[source_id] or "", names[source_id]
                )
                code = "quote-not-found"
            if message:
                line, column = file.doc.locate(path)
                problems.append(
                    Problem(file.display, line, column, format_path(path), code, message)
                )
    return problems


def _read_corpus(
    sources: list[tuple[Source, tuple[_File, Path_]]], corpus: str | os.PathLike[str]
) -> tuple[dict[str, str | None], list[Problem]]:
    corpus_dir, display_corpus = Path(corpus), os.fspath(corpus)
    if not corpus_dir.is_dir():
        raise InputError(f"{display_corpus}: corpus directory not found")
    documents: dict[str, str | None] = {}
    problems: list[Problem] = []
    for source, (file, path) in sources:
        target = corpus_check.document_path(corpus_dir, source.document)
        where = "lies outside the corpus directory"
        try:
            raw = None if target is None else read_library_file(target, display_corpus)
        except ReadError as exc:
            raw = None
            found = target is not None and target.exists()
            where = f"unusable ({exc.problem.message}) in" if found else "not found in"
        documents[source.id] = None if raw is None else raw.decode("utf-8", errors="replace")
        if raw is None:
            line, column = file.doc.locate((*path, "document"))
            problems.append(
                Problem(
                    file.display,
                    line,
                    column,
                    format_path((*path, "document")),
                    "missing-document" if target is not None else "document-outside-corpus",
                    f"document '{source.document}' {where} {display_corpus}",
                )
            )
    return documents, problems


def _quotes(option: Option) -> Iterator[tuple[Path_, str, str]]:
    for kind in ("benefits", "risks", "preconditions"):
        for i, item in enumerate(getattr(option, kind)):
            for j, view in enumerate(item.assessments):
                yield (kind, i, "assessments", j, "quote"), view.source, view.quote
    for i, quiet in enumerate(option.unaffected):
        for j, quoted in enumerate(quiet.sources):
            yield ("unaffected", i, "sources", j, "quote"), quoted.source, quoted.quote
