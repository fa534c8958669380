"""YAML that remembers line numbers, so every problem in a course file can be pointed at."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml


class Mapping(dict[str, Any]):
    """A YAML mapping that knows the line of itself and of each key (1-based)."""

    line: int = 0
    key_lines: dict[str, int]


class Sequence(list[Any]):
    """A YAML sequence that knows its line and each item's line."""

    line: int = 0
    item_lines: list[int]


class _Loader(yaml.SafeLoader):
    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> Mapping:  # type: ignore[override]
        mapping = Mapping()
        mapping.line = node.start_mark.line + 1
        mapping.key_lines = {}
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            mapping[str(key)] = self.construct_object(value_node, deep=True)
            mapping.key_lines[str(key)] = key_node.start_mark.line + 1
        return mapping

    def construct_sequence(self, node: yaml.SequenceNode, deep: bool = False) -> Sequence:  # type: ignore[override]
        items = Sequence(self.construct_object(child, deep=True) for child in node.value)
        items.line = node.start_mark.line + 1
        items.item_lines = [child.start_mark.line + 1 for child in node.value]
        return items


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _Loader.construct_mapping)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _Loader.construct_sequence)
# Dates stay text: "effective: 2025-04-29" is shown, not computed with.
_Loader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class YamlError(Exception):
    """A file that is not valid YAML; carries the line of the problem."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.line = line


def loads(text: str, offset: int = 0) -> Any:
    """Parse YAML text; line numbers are shifted by `offset` (for front matter inside a file)."""
    try:
        data = yaml.load(text, Loader=_Loader)  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = (mark.line + 1 if mark else 1) + offset
        raise YamlError(str(error.problem or error), line) from None
    except yaml.YAMLError as error:
        raise YamlError(str(error), 1 + offset) from None
    if offset:
        _shift(data, offset)
    return data


def _shift(data: Any, offset: int) -> None:
    if isinstance(data, Mapping):
        data.line += offset
        data.key_lines = {k: v + offset for k, v in data.key_lines.items()}
        for value in data.values():
            _shift(value, offset)
    elif isinstance(data, Sequence):
        data.line += offset
        data.item_lines = [v + offset for v in data.item_lines]
        for value in data:
            _shift(value, offset)


def load(path: Path) -> Any:
    """Read and parse a YAML file (UTF-8)."""
    return loads(path.read_text(encoding="utf-8"))


def line_of(data: Any, key: str | None = None) -> int:
    """Return the line of a mapping's key (or of the node itself)."""
    if isinstance(data, Mapping):
        return data.key_lines.get(key, data.line) if key else data.line
    return getattr(data, "line", 1)
