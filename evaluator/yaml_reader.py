"""Safe YAML/JSON reading that keeps the position of every node.

Why not ``yaml.safe_load``: validation errors must name a line, so we compose the node tree
(which carries marks), then build plain Python data ourselves while recording where each
value came from. Building it ourselves also lets us bound alias expansion: a "billion
laughs" file composes into a few nodes but expands exponentially, so we count expanded
nodes and refuse past a limit instead of expanding. For the same reason the builder walks
nested collections with a depth limit and refuses an alias that contains itself
(``tags: &a [*a]``), which would otherwise recurse until Python gives up.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from .errors import Problem

Path_ = tuple[str | int, ...]

#: Nodes one file may expand to; a real option file has a few hundred.
MAX_NODES = 200_000

#: Nesting depth of lists and mappings; a real option file nests about six deep.
MAX_DEPTH = 100

# libyaml's composer is ~8x faster and keeps the same marks; pure Python is the fallback.
_BASE: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Composer(_BASE):  # type: ignore[valid-type,misc]
    """The safe loader, reading numbers with an exponent as JSON and YAML 1.2 do.

    Why: YAML 1.1 reads ``5e0`` and ``1.0e5`` as text (its floats need a dot and a signed
    exponent), so a JSON file's number would be refused as "text".
    """


_COMPOSER: type[yaml.SafeLoader] = _Composer
_COMPOSER.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^[-+]?[0-9][0-9_]*(?:\.[0-9_]*)?[eE][-+]?[0-9]+$"),
    list("-+0123456789"),
)


@dataclass
class Document:
    """Plain data read from one file, plus where each value and key sits (1-based)."""

    data: Any
    positions: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    key_positions: dict[Path_, tuple[int, int]] = field(default_factory=dict)

    def locate(self, path: Path_, *, key: bool = False) -> tuple[int, int]:
        """Line and column of ``path``, or of its nearest located ancestor."""
        table = self.key_positions if key else self.positions
        if path in table:
            return table[path]
        for cut in range(len(path) - 1, -1, -1):
            if path[:cut] in self.positions:
                return self.positions[path[:cut]]
        return (1, 1)


class _Abort(Exception):
    def __init__(self, problem: Problem) -> None:
        self.problem = problem


class _Builder:
    def __init__(self, display: str) -> None:
        self.display = display
        self.loader = yaml.SafeLoader("")
        self.count = 0
        self.doc = Document(data=None)
        self.distinct: set[int] = set()
        self.open: set[int] = set()  # collections being built: an alias back to one is a cycle

    def problem(self, node: yaml.Node, code: str, message: str, path: Path_) -> Problem:
        return Problem(
            self.display,
            node.start_mark.line + 1,
            node.start_mark.column + 1,
            format_path(path),
            code,
            message,
        )

    def build(self, node: yaml.Node, path: Path_) -> Any:
        self.count += 1
        self.distinct.add(id(node))
        if self.count > MAX_NODES:
            if len(self.distinct) < self.count:
                raise _Abort(
                    self.problem(
                        node,
                        "alias-bomb",
                        f"aliases expand past {MAX_NODES} nodes; refusing to expand "
                        "(an alias bomb?). Use fewer nested aliases.",
                        path[:1],
                    )
                )
            raise _Abort(
                self.problem(
                    node,
                    "too-many-values",
                    f"the file holds more than {MAX_NODES} values; "
                    "a library file holds one option or one list",
                    path[:1],
                )
            )
        if not isinstance(node, yaml.ScalarNode):
            if id(node) in self.open:
                raise _Abort(
                    self.problem(
                        node,
                        "alias-cycle",
                        "an alias refers to a list or mapping that contains it",
                        path,
                    )
                )
            if len(path) >= MAX_DEPTH:
                raise _Abort(
                    self.problem(
                        node,
                        "too-deep",
                        f"lists and mappings nest more than {MAX_DEPTH} levels deep",
                        path[:1],
                    )
                )
            self.open.add(id(node))
            try:
                return self._collection(node, path)
            finally:
                self.open.discard(id(node))
        self.doc.positions.setdefault(path, (node.start_mark.line + 1, node.start_mark.column + 1))
        return self.loader.construct_object(node, deep=True)

    def _collection(self, node: yaml.Node, path: Path_) -> Any:
        self.doc.positions.setdefault(path, (node.start_mark.line + 1, node.start_mark.column + 1))
        if isinstance(node, yaml.MappingNode):
            explicit = sum(1 for k, _ in node.value if k.tag != "tag:yaml.org,2002:merge")
            self.loader.flatten_mapping(node)  # resolves `<<` merge keys, which come first
            merged = len(node.value) - explicit
            result: dict[Any, Any] = {}
            for index, (key_node, value_node) in enumerate(node.value):
                key = self.loader.construct_object(key_node, deep=True)
                if not isinstance(key, str | int | float | bool) or key is None:
                    raise _Abort(
                        self.problem(key_node, "wrong-type", "keys must be plain text", path)
                    )
                key = str(key) if not isinstance(key, str) else key
                if key in result and index >= merged and (*path, key) in self.doc.key_positions:
                    raise _Abort(
                        self.problem(
                            key_node,
                            "duplicate-key",
                            f"key '{key}' appears twice in this mapping",
                            (*path, key),
                        )
                    )
                if index < merged:
                    result[key] = self.build(value_node, (*path, key))
                    continue
                self.doc.key_positions[(*path, key)] = (
                    key_node.start_mark.line + 1,
                    key_node.start_mark.column + 1,
                )
                result[key] = self.build(value_node, (*path, key))
            return result
        return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]


def format_path(path: Path_) -> str:
    """``("risks", 2, "impact")`` -> ``risks[2].impact``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + part
    return out


def read_document(raw: bytes, display: str) -> Document:
    """Decode, parse and build one file; raise ``_Abort``-free ``ReadError`` on problems."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        column = exc.start - (before.rfind(b"\n") + 1) + 1
        raise ReadError(
            Problem(
                display,
                line,
                column,
                "",
                "encoding",
                f"not valid UTF-8 (byte 0x{raw[exc.start]:02x}); save the file as UTF-8",
            )
        ) from None
    text = text.removeprefix("\ufeff")
    if not text.strip() or all(
        not line.strip() or line.lstrip().startswith("#") for line in text.splitlines()
    ):
        raise ReadError(Problem(display, 1, 1, "", "empty-file", "the file is empty"))
    try:
        node = yaml.compose(text, Loader=_COMPOSER)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        message = " ".join(str(exc.problem or exc.context or "invalid YAML").split())
        if exc.context and exc.context_mark and exc.problem_mark:
            message += f" ({exc.context} that starts at line {exc.context_mark.line + 1})"
        raise ReadError(Problem(display, line, column, "", "yaml-syntax", message)) from None
    except yaml.YAMLError as exc:
        raise ReadError(Problem(display, 1, 1, "", "yaml-syntax", str(exc))) from None
    except RecursionError:  # the pure-Python composer recurses once per nesting level
        raise ReadError(_too_deep(display)) from None
    if node is None:
        raise ReadError(Problem(display, 1, 1, "", "empty-file", "the file is empty"))
    builder = _Builder(display)
    try:
        builder.doc.data = builder.build(node, ())
    except _Abort as abort:
        raise ReadError(abort.problem) from None
    except RecursionError:  # a merge key (`<<: *a`) inside its own anchor
        raise ReadError(_too_deep(display)) from None
    except yaml.constructor.ConstructorError as exc:
        mark = exc.problem_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise ReadError(
            Problem(display, line, column, "", "yaml-syntax", " ".join(str(exc.problem).split()))
        ) from None
    return builder.doc


def _too_deep(display: str) -> Problem:
    return Problem(
        display,
        1,
        1,
        "",
        "too-deep",
        f"lists and mappings nest too deep (over {MAX_DEPTH} levels), or an alias contains itself",
    )


class ReadError(Exception):
    """A file could not be read into data; carries the one located problem."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem
