"""The registry: one face over the plugins, what they contribute, and the rubrics they
offer.

A :class:`Registry` does none of the work itself: it collects its plugins once
(:mod:`rubriceng.host.collect`), indexes the rubrics they offer
(:class:`~rubriceng.host.index.RubricIndex`), and loads a rubric through the pipeline —
its ``extends`` chain applied (:mod:`rubriceng.host.extending`), compiled with the
plugins' vocabulary (:mod:`rubriceng.language.compiler`), planned for scoring
(:class:`~rubriceng.scoring.plan.Plan`) — caching what it loaded. Scoring never calls a
hook.

>>> registry = Registry(entry_points=False)
>>> [plugin.name for plugin in registry.plugins]
['rubriceng', 'rubriceng.targets']
>>> sorted(registry.renderers)
['json', 'markdown', 'text']
"""

from __future__ import annotations

import copyreg
import datetime
import os
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs

from rubriceng.decimals import isolated
from rubriceng.errors import PluginError, Problem, RubricError, RubricNotFoundError
from rubriceng.host.collect import (
    Contributions,
    PluginFailure,
    PluginInfo,
    PluginSet,
)
from rubriceng.host.extending import with_bases
from rubriceng.host.index import (
    RUBRIC_SUFFIXES,
    SEARCH_PATH_PLUGIN,
    RubricEntry,
    RubricIndex,
    failure_of,
)
from rubriceng.language.compiler import compile_rubric
from rubriceng.language.documents import (
    Document,
    DocumentError,
    Origin,
    name_of,
    read,
    thaw,
)
from rubriceng.language.model import Rubric
from rubriceng.language.vocabulary import Vocabulary
from rubriceng.outputs.text import Renderer
from rubriceng.scoring.plan import Plan

SEARCH_PATH_VARIABLE = "RUBRICENG_PATH"
"""Folders (``os.pathsep``-separated) of loose rubric files the default registry indexes."""
STRICT_VARIABLE = "RUBRICENG_STRICT"
"""Set to ``1`` to make the default registry strict."""


class Registry:
    """Plugins and the rubrics they offer.

    Args:
        entry_points: also load the plugins installed under the ``rubriceng`` entry-point
            group (the built-in plugin is always there).
        strict: raise :class:`~rubriceng.errors.PluginError` on any plugin failure
            instead of recording it and carrying on (for CI).
        search_path: folders of loose rubric files to index as well.
    """

    def __init__(
        self,
        *,
        entry_points: bool = True,
        strict: bool = False,
        search_path: list[Path] | None = None,
    ) -> None:
        self.strict = strict
        self._entry_points = entry_points
        self._search_path = list(search_path or [])
        self._lock = threading.RLock()
        self._plugins: PluginSet | None = None
        self._registered: list[tuple[object, str | None]] = []
        self._contributions: Contributions | None = None
        self._index: RubricIndex | None = None
        self._quick_entries: dict[tuple[str, int | None], RubricEntry] = {}
        self._rubrics: dict[str, Rubric] = {}

    # -- plugins -----------------------------------------------------------------------

    def register(self, plugin: object, name: str | None = None) -> None:
        """Register a plugin in code (after the installed ones); resolved on next use."""
        with self._lock:
            self._registered.append((plugin, name))
            self._contributions = None
            self._index = None
            self._quick_entries.clear()
            self._rubrics.clear()

    def _resolve(self) -> Contributions:
        with self._lock:
            if self._contributions is None:
                plugins = PluginSet(entry_points=self._entry_points)
                for plugin, name in self._registered:
                    plugins.register(plugin, name)
                self._plugins = plugins
                contributions = plugins.collect()
                if self.strict and contributions.failures:
                    raise _plugin_error(contributions.failures)
                self._contributions = contributions
            return self._contributions

    @property
    def vocabulary(self) -> Vocabulary:
        """The scoring methods, formula functions and input types of all plugins."""
        return self._resolve().vocabulary

    @property
    def renderers(self) -> Mapping[str, Renderer]:
        """Result renderers by format name."""
        return self._resolve().renderers

    @property
    def plugins(self) -> tuple[PluginInfo, ...]:
        """The plugins that loaded, in the order their contributions are taken."""
        return self._resolve().plugins

    @property
    def failures(self) -> tuple[PluginFailure, ...]:
        """Everything that went wrong with plugins: imports, hooks, rubric files."""
        return (*self._resolve().failures, *self._entries().failures)

    @property
    def test_case_sources(self) -> tuple[tuple[str, str], ...]:
        """(plugin, path) of every plugin's rule-author test cases."""
        return self._resolve().case_sources

    def check(self) -> list[PluginFailure]:
        """Compile every indexed rubric; return (and, if strict, raise) every failure."""
        found = list(self.failures)
        for entry in self.rubrics():
            try:
                self.load(entry)
            except RubricError as error:
                found += [failure_of(entry.plugin, "rubriceng_rubrics", p) for p in error.problems]
        if self.strict and found:
            raise _plugin_error(found)
        return found

    # -- the rubric index ----------------------------------------------------------------

    def _entries(self) -> RubricIndex:
        with self._lock:
            if self._index is None:
                contributions = self._resolve()
                sources = list(contributions.rubric_sources)
                sources += [(SEARCH_PATH_PLUGIN, folder) for folder in self._search_path]
                index = RubricIndex.build(sources)
                if self.strict and index.failures:
                    raise _plugin_error(index.failures)
                self._index = index
            return self._index

    def rubrics(
        self,
        *,
        id: str | None = None,
        level: str | None = None,
        region: str | None = None,
        year: int | None = None,
        on: datetime.date | None = None,
    ) -> list[RubricEntry]:
        """Every indexed rubric matching all the criteria given
        (:meth:`RubricIndex.rubrics <rubriceng.host.index.RubricIndex.rubrics>`)."""
        return self._entries().rubrics(id=id, level=level, region=region, year=year, on=on)

    def find(
        self,
        id: str | None = None,
        *,
        version: str | None = None,
        level: str | None = None,
        region: str | None = None,
        year: int | None = None,
        on: datetime.date | None = None,
    ) -> RubricEntry:
        """The one rubric matching the criteria
        (:meth:`RubricIndex.find <rubriceng.host.index.RubricIndex.find>`)."""
        return self._entries().find(
            id, version=version, level=level, region=region, year=year, on=on
        )

    def reference(self, reference: str, *, year: int | None = None) -> RubricEntry:
        """The entry for ``id`` or ``id@version`` (the version in force in ``year``)."""
        return self._entries().reference(reference, year=year)

    def _quick(self, reference: str, year: int | None = None) -> RubricEntry:
        """The entry :meth:`reference` gives, found (before the index is built) among the
        files that could define the rubric: the others are not parsed. Whatever it does
        not find the whole index looks for, and its error names every rubric known."""
        rubric_id = reference.partition("@")[0]
        with self._lock:
            whole = self._index is not None or self.strict or not rubric_id
            known = self._quick_entries.get((reference, year))
        if known is not None or whole:
            return known or self.reference(reference, year=year)
        sources = list(self._resolve().rubric_sources)
        sources += [(SEARCH_PATH_PLUGIN, folder) for folder in self._search_path]
        try:
            entry = RubricIndex.build(sources, rubric_id).reference(reference, year=year)
        except RubricNotFoundError:
            return self.reference(reference, year=year)
        with self._lock:
            return self._quick_entries.setdefault((reference, year), entry)

    # -- loading -------------------------------------------------------------------------

    @isolated
    def load(self, reference: str | RubricEntry, *, year: int | None = None) -> Rubric:
        """Load a rubric: an entry, ``id``, ``id@version``, or a file path."""
        if isinstance(reference, str) and _looks_like_path(reference):
            return self.load_rubric(reference)
        entry = reference if isinstance(reference, RubricEntry) else self._quick(reference, year)
        with self._lock:
            cached = self._rubrics.get(entry.ref)
        if cached is not None:
            return cached
        try:
            rubric = self._compile(entry.document)
        except RubricError as error:
            raise RubricError(
                f"rubric {entry.ref} of plugin {entry.plugin!r} (rubriceng_rubrics) is not valid",
                error.problems,
            ) from None
        with self._lock:
            return self._rubrics.setdefault(entry.ref, rubric)

    @isolated
    def load_rubric(self, source: str | os.PathLike[str] | Mapping[str, Any]) -> Rubric:
        """Load, validate and compile a rubric from a file or a mapping (not indexed)."""
        try:
            document = read(source)
        except DocumentError as error:
            raise RubricError(f"cannot read rubric {name_of(source)}", error.problems) from None
        return self._compile(document)

    def _compile(self, document: Document) -> Rubric:
        vocabulary = self.vocabulary
        merged = with_bases(document, self._quick, self._rubric_folders, vocabulary.methods)
        rubric = compile_rubric(merged, vocabulary)
        # the plan keeps the rubric it was built from (the same rubric, without a plan):
        # nothing is changed after it is built
        return attrs.evolve(rubric, plan=Plan(rubric, vocabulary), document=merged)

    def _rubric_folders(self) -> list[Path]:
        """The folders rubrics are offered from (plugins, the search path), resolved."""
        sources = [source for _, source in self._resolve().rubric_sources]
        sources += self._search_path
        folders = []
        for source in sources:
            if isinstance(source, str | os.PathLike) and Path(source).is_dir():
                folders.append(Path(source).resolve())
        return folders

    # -- rendering -------------------------------------------------------------------------

    @isolated
    def render(self, result: Any, format: str = "text", lang: str = "zh") -> str:
        """``result`` in a registered format (``text``, ``json`` or a plugin's).

        Raises :class:`PluginError` if there is no such format or its renderer fails.
        """
        renderers = self.renderers
        if format not in renderers:
            message = f"no renderer {format!r} (have: {', '.join(sorted(renderers))})"
            raise PluginError(message, [Problem("renderer-unknown", message)])
        return renderers[format].render(result, lang)


_DEFAULT: Registry | None = None
_DEFAULT_LOCK = threading.Lock()


def default_registry() -> Registry:
    """The process-wide registry: installed plugins, ``$RUBRICENG_PATH`` and ``./rubrics``.

    Strict when ``$RUBRICENG_STRICT`` is ``1``. Created on first use.

    >>> [entry.ref for entry in default_registry().rubrics(id="cn/project-self-evaluation")]
    ['cn/project-self-evaluation@2020']
    """
    global _DEFAULT
    with _DEFAULT_LOCK:
        if _DEFAULT is None:
            _DEFAULT = Registry(
                strict=os.environ.get(STRICT_VARIABLE, "") == "1", search_path=search_path()
            )
        return _DEFAULT


def search_path() -> list[Path]:
    """Folders of loose rubric files: ``$RUBRICENG_PATH`` then ``./rubrics``."""
    folders = [
        Path(part) for part in os.environ.get(SEARCH_PATH_VARIABLE, "").split(os.pathsep) if part
    ]
    return [*folders, Path("rubrics")]


# -- a compiled rubric travels ------------------------------------------------------------


def _reduce_rubric(rubric: Rubric) -> tuple[Any, tuple[Any, ...]]:
    """How a compiled rubric pickles: as the merged document it was compiled from."""
    document = rubric.document
    if document is None:
        raise TypeError(f"rubric {rubric.ref} was not compiled by a registry and cannot be pickled")
    origins = [
        (path, origin.file, origin.rubric, thaw(origin.provenance))
        for path, origin in document.origins.items()
    ]
    state = (thaw(document.data), document.source, dict(document.lines), origins)
    return rebuild_rubric, (state,)


@isolated
def rebuild_rubric(state: tuple[Any, ...]) -> Rubric:
    """A pickled rubric, compiled again where it arrives (a Dask or Spark worker) with
    that process's registry; its ``extends`` were already applied."""
    data, source, lines, origins = state
    document = Document(
        data,
        source,
        lines,
        {tuple(path): Origin(file, ref, provenance) for path, file, ref, provenance in origins},
    )
    vocabulary = default_registry().vocabulary
    rubric = compile_rubric(document, vocabulary)
    return attrs.evolve(rubric, plan=Plan(rubric, vocabulary), document=document)


copyreg.pickle(Rubric, _reduce_rubric)


def _plugin_error(failures: Any) -> PluginError:
    failures = list(failures)
    return PluginError(
        f"{len(failures)} plugin problem(s)", [failure.problem() for failure in failures]
    )


def _looks_like_path(reference: str) -> bool:
    return Path(reference).suffix in RUBRIC_SUFFIXES or (
        os.sep in reference and Path(reference).exists()
    )
