"""The rubric index: every rubric the plugins (and the search path) offer, by id, version,
level, region and the dates it is in force — read, not compiled.

It knows nothing of plugins beyond their names, and nothing of compiling: a
:class:`RubricIndex` is built once from ``(plugin, source)`` pairs and answers queries.
The :class:`~rubriceng.host.registry.Registry` builds one when first asked.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import attrs

from rubriceng.errors import Problem, RubricNotFoundError
from rubriceng.host.collect import PluginFailure
from rubriceng.language.documents import (
    Document,
    DocumentError,
    from_mapping,
    from_path,
    read_bounded,
)
from rubriceng.language.model import InForce, parse_day
from rubriceng.language.paths import natural_key
from rubriceng.language.variants import MAX_DEPTH
from rubriceng.outputs.words import LANGUAGES, Phrase, term

RUBRIC_SUFFIXES = (".yaml", ".yml", ".json")
SEARCH_PATH_PLUGIN = "RUBRICENG_PATH"
"""The plugin name rubrics found through :data:`SEARCH_PATH_VARIABLE` are listed under."""


@attrs.frozen
class RubricEntry:
    """A rubric a plugin offers, as indexed (the document is read, not yet compiled)."""

    id: str
    version: str
    title: str
    plugin: str
    source: str
    level: str | None = None
    region_name: str | None = None
    region_code: str | None = None
    in_force: InForce | None = None
    extends: str | None = None
    document: Document = attrs.field(eq=False, repr=False, default=None)
    title_en: str | None = None
    """The English title, where the rubric gives one."""

    @property
    def ref(self) -> str:
        """``id@version``."""
        return f"{self.id}@{self.version}"

    def in_force_on(self, day: datetime.date) -> bool:
        """True if this version applies on ``day`` (no ``in_force``: always)."""
        return self.in_force is None or self.in_force.covers(day)

    def matches_region(self, region: str) -> bool:
        """True for the region's code (``441300``) or name (``惠州市`` or ``惠州``)."""
        wanted = str(region).strip()
        if wanted and wanted == self.region_code:
            return True
        name = self.region_name or ""
        return bool(wanted) and (wanted == name or (len(wanted) >= 2 and name.startswith(wanted)))


@attrs.frozen
class RubricIndex:
    """The rubrics offered, by id, each id's versions in the order they were found."""

    by_id: Mapping[str, list[RubricEntry]]
    failures: tuple[PluginFailure, ...] = ()
    """Files that could not be indexed, and rubrics offered twice."""

    @classmethod
    def build(cls, sources: list[tuple[str, Any]], mentioning: str | None = None) -> RubricIndex:
        """Index the rubrics of ``(plugin, source)`` pairs: a source is a folder, a file
        or a mapping. One odd file is a failure of its own, never of the index.

        ``mentioning``: index only the files that could define a rubric of this id (their
        bytes hold it, or a backslash that could spell it in an escape); every version
        of it is found, the other rubrics and the other files' failures are not."""
        by_id, failures = _build_index(sources, mentioning)
        return cls(by_id, tuple(failures))

    def rubrics(
        self,
        *,
        id: str | None = None,
        level: str | None = None,
        region: str | None = None,
        year: int | None = None,
        on: datetime.date | None = None,
    ) -> list[RubricEntry]:
        """Every indexed rubric matching all the criteria given, by id then start date.

        ``year`` means the last day of that year (the rubric a unit is evaluated by for
        that year); ``on`` is a precise day. With either, each rubric appears once, in the
        version in force then: of several versions whose dates cover the day, the one that
        came into force last supersedes the others. ``region`` is a code or a name.
        """
        day = _day(year, on)
        found = []
        for rubric_id, versions in sorted(self.by_id.items()):
            if id is not None and rubric_id != id:
                continue
            matching = [
                entry
                for entry in versions
                if (level is None or entry.level == level)
                and (region is None or entry.matches_region(region))
                and (day is None or entry.in_force_on(day))
            ]
            if day is not None and matching:
                matching = [max(matching, key=_recency)]  # later versions supersede
            found += sorted(matching, key=_recency)
        return found

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
        """The one rubric matching the criteria.

        With a year or day, the version in force then; when several versions of a rubric
        are in force, the one that came into force last. Without, the latest version.
        Raises :class:`~rubriceng.errors.RubricNotFoundError` if none matches or if
        rubrics of different ids do.
        """
        candidates = self.rubrics(id=id, level=level, region=region, year=year, on=on)
        if version is not None:
            candidates = [entry for entry in candidates if entry.version == str(version)]
        wanted = _describe_query(id, version, level, region, year, on)
        if not candidates:
            known = ", ".join(entry.ref for entry in self.rubrics()) or "none"
            raise RubricNotFoundError(
                f"no rubric {wanted.text('en')}",
                [
                    Problem(
                        "rubric-not-found",
                        f"no rubric {wanted.text('en')} (known: {known})",
                        params={
                            "wanted": wanted,
                            "known": Phrase({"zh": known.replace(", ", "、"), "en": known}),
                        },
                    )
                ],
            )
        ids = sorted({entry.id for entry in candidates})
        if len(ids) > 1:
            raise RubricNotFoundError(
                f"several rubrics {wanted.text('en')}",
                [
                    Problem(
                        "rubric-ambiguous",
                        f"several rubrics {wanted.text('en')}: {', '.join(ids)}; give an id",
                        params={
                            "wanted": wanted,
                            "ids": Phrase({"zh": "、".join(ids), "en": ", ".join(ids)}),
                        },
                    )
                ],
            )
        return max(candidates, key=_recency)

    def reference(self, reference: str, *, year: int | None = None) -> RubricEntry:
        """The entry for ``id`` or ``id@version`` (the version in force in ``year``)."""
        wanted, _, version = reference.partition("@")
        return self.find(wanted, version=version or None, year=year)


def _day(year: int | None, on: datetime.date | None) -> datetime.date | None:
    if on is not None:
        return on
    return None if year is None else parse_day(int(year), last=True)


def _recency(entry: RubricEntry) -> tuple[datetime.date, list[Any]]:
    start = entry.in_force.start if entry.in_force and entry.in_force.start else datetime.date.min
    return start, natural_key(entry.version)


def _describe_query(
    id: str | None,
    version: str | None,
    level: str | None,
    region: str | None,
    year: int | None,
    on: datetime.date | None,
) -> Phrase:
    """What was asked for, in each language (``'x'@2020 in force in 2025``)."""
    named = f"{id}@{version}" if id and version else id
    en = [
        repr(id) + (f"@{version}" if version else "") if id else "",
        f"version {version}" if version and not id else "",
        f"at level {level}" if level else "",
        f"for region {region}" if region else "",
        f"in force in {year}" if year is not None else "",
        f"in force on {on.isoformat()}" if on is not None else "",
    ]
    zh = [
        f"「{named}」" if named else "",
        f"版本 {version}" if version and not id else "",
        f"层级 {level}" if level else "",
        f"地区 {region}" if region else "",
        f"{year} 年适用" if year is not None else "",
        f"{on.isoformat()} 适用" if on is not None else "",
    ]
    return Phrase(
        {
            "zh": "，".join(word for word in zh if word) or "（任何）",
            "en": " ".join(word for word in en if word) or "at all",
        }
    )


def _files(source: Path) -> Iterator[Path]:
    if source.is_dir():
        for file in sorted(source.rglob("*")):
            if (
                file.suffix in RUBRIC_SUFFIXES
                and file.is_file()
                and not file.name.startswith("test_")
            ):
                yield file
    else:
        yield source


def _may_define(file: Path, rubric_id: str) -> bool:
    """Whether ``file`` could define the rubric ``rubric_id``. YAML and JSON spell a text
    out as it is, or with escapes, which need a backslash; a file that cannot be read is
    read by the parser, which says why."""
    try:
        data = read_bounded(file)
    except (DocumentError, OSError):
        return True
    return rubric_id.encode() in data or b"\\" in data


def _build_index(
    sources: list[tuple[str, Any]], mentioning: str | None = None
) -> tuple[dict[str, list[RubricEntry]], list[PluginFailure]]:
    index: dict[str, list[RubricEntry]] = {}
    failures: list[PluginFailure] = []
    hook = "rubriceng_rubrics"
    seen: set[Path] = set()  # a file reached twice (./rubrics is also the bundled folder)
    for plugin, source in sources:
        if isinstance(source, Mapping):
            documents: list[tuple[str, Any]] = [(f"<{plugin}>", source)]
        else:
            path = Path(source)
            if not path.exists():
                if plugin != SEARCH_PATH_PLUGIN:
                    said = Phrase({"zh": f"{path} 不存在", "en": f"{path} does not exist"})
                    failures.append(PluginFailure.said_as(plugin, hook, said))
                continue
            files = [file for file in _files(path) if file.resolve() not in seen]
            seen.update(file.resolve() for file in files)
            if mentioning is not None:
                files = [file for file in files if _may_define(file, mentioning)]
            documents = [(str(file), file) for file in files]
        for name, item in documents:
            try:
                document = (
                    from_mapping(item, name) if isinstance(item, Mapping) else from_path(item)
                )
            except DocumentError as error:
                failures += [failure_of(plugin, hook, p) for p in error.problems]
                continue
            try:
                entry = _entry(plugin, name, document)
            except Exception as error:  # one odd file is reported alone, never the index
                entry = Phrase({"en": f"{type(error).__name__}: {error}"})
            if isinstance(entry, Phrase):  # what keeps the file out of the index
                # a loose folder may hold other YAML; a rubric that is broken is reported
                if plugin != SEARCH_PATH_PLUGIN or entry != _NOT_A_RUBRIC:
                    said = Phrase(
                        {lang: f"{name}{term(': ', lang)}{entry.text(lang)}" for lang in LANGUAGES}
                    )
                    failures.append(PluginFailure.said_as(plugin, hook, said))
                continue
            versions = index.setdefault(entry.id, [])
            clash = next((other for other in versions if other.version == entry.version), None)
            if clash is not None:
                said = Phrase(
                    {
                        "en": f"rubric {entry.ref} is offered twice: by plugin {clash.plugin!r} "
                        f"({clash.source}) and by plugin {plugin!r} ({name}); "
                        "the second is ignored",
                        "zh": f"评分表 {entry.ref} 由两个插件提供："
                        f"{clash.plugin!r}（{clash.source}）和 {plugin!r}（{name}）；后者被忽略",
                    }
                )
                failures.append(PluginFailure.said_as(plugin, hook, said))
                continue
            versions.append(entry)
    return _inherit(index), failures


def _inherit(index: dict[str, list[RubricEntry]]) -> dict[str, list[RubricEntry]]:
    """Variants (``extends: id@version``) take level and region from their base."""
    by_ref = {entry.ref: entry for versions in index.values() for entry in versions}

    def resolved(entry: RubricEntry, depth: int) -> RubricEntry:
        base = by_ref.get(entry.extends or "")
        if base is None or depth > MAX_DEPTH:
            return entry
        base = resolved(base, depth + 1)
        return attrs.evolve(
            entry,
            level=entry.level or base.level,
            region_name=entry.region_name or base.region_name,
            region_code=entry.region_code or base.region_code,
        )

    return {key: [resolved(entry, 0) for entry in versions] for key, versions in index.items()}


def _text(value: Any) -> str | None:
    """A level, a region's name or code as text; None for anything else (the file's own
    check, when it is loaded, says what is wrong)."""
    if isinstance(value, bool) or not isinstance(value, str | int):
        return None
    return str(value)


def failure_of(plugin: str, hook: str, problem: Problem) -> PluginFailure:
    """A problem of a plugin's rubric as a failure of the plugin, said in every language."""
    return PluginFailure.said_as(
        plugin, hook, Phrase({lang: problem.text(lang) for lang in LANGUAGES})
    )


_NOT_A_RUBRIC = Phrase({"en": "not a rubric (no 'id')", "zh": "不是评分表（没有 id）"})
_NO_VERSION = Phrase({"en": "a rubric needs a 'version'", "zh": "评分表需要 version（版本）"})


def _entry(plugin: str, name: str, document: Document) -> RubricEntry | Phrase:
    """The index's entry for a rubric file, or what keeps the file out of the index."""
    data = document.data
    if not isinstance(data, Mapping) or not isinstance(data.get("id"), str):
        return _NOT_A_RUBRIC
    if not isinstance(data.get("version"), str | int):
        return _NO_VERSION
    raw_region = data.get("region")
    region: Mapping[str, Any] = raw_region if isinstance(raw_region, Mapping) else {}
    in_force = None
    raw = data.get("in_force")
    if isinstance(raw, Mapping):
        try:
            in_force = InForce(
                parse_day(raw["from"]) if "from" in raw else None,
                parse_day(raw["until"], last=True) if "until" in raw else None,
            )
        except ValueError as error:  # parse_day's one error, for anything not a day
            problem = Problem("in-force", str(error))
            return Phrase(
                {lang: f"in_force{term(': ', lang)}{problem.said(lang)}" for lang in LANGUAGES}
            )
    extends, english = data.get("extends"), data.get("title_en")
    return RubricEntry(
        id=data["id"],
        version=str(data["version"]),
        title=str(data.get("title", "")),
        plugin=plugin,
        source=name,
        level=_text(data.get("level")),
        region_name=_text(region.get("name")),
        region_code=_text(region.get("code")),
        in_force=in_force,
        extends=extends if isinstance(extends, str) else None,
        document=document,
        title_en=english if isinstance(english, str) else None,
    )
