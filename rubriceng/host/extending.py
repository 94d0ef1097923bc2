"""Following ``extends``: a variant's chain of bases, each found by id in the rubric
index or as a file beside the variant, applied one over the other
(:mod:`rubriceng.language.variants` merges two). The registry's load pipeline calls
:func:`with_bases` before it compiles.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from rubriceng.errors import Problem, RubricError, RubricNotFoundError
from rubriceng.host.index import RUBRIC_SUFFIXES, RubricEntry
from rubriceng.language.documents import Document, DocumentError, from_path
from rubriceng.language.variants import MAX_DEPTH, merge, variant_problems
from rubriceng.methods.base import Method
from rubriceng.outputs.words import LANGUAGES, Phrase


def with_bases(
    document: Document,
    find: Callable[[str], RubricEntry],
    folders: Callable[[], Sequence[Path]],
    methods: Mapping[str, Method],
    depth: int = 0,
) -> Document:
    """``document`` with its ``extends`` chain applied (itself if it extends nothing).

    ``find`` gives the entry of an ``id@version`` (the index's); a base named as a file
    must lie inside one of ``folders()`` (the rubric folders of the plugins and the search
    path, asked for only then) or the variant's own folder. Every problem is the
    variant's, located at ``extends``.
    """
    data = document.data
    if not isinstance(data, Mapping) or "extends" not in data:
        return document
    where = document.source or "rubric"
    found = variant_problems(document)
    if found:
        raise RubricError(f"{where} is not a valid variant", found)
    if depth >= MAX_DEPTH:
        raise RubricError(
            f"{where} is not a valid variant",
            [document.problem("variant-depth", f"more than {MAX_DEPTH} extends", ("extends",))],
        )
    reference = data["extends"].strip()
    try:
        base_document, base_ref = _base(reference, document, find, folders)
    except (RubricNotFoundError, RubricError) as error:
        raise RubricError(
            f"{where} is not a valid variant",
            [
                document.problem(
                    "variant-base",
                    f"cannot use {reference!r}: {p.message}",
                    ("extends",),
                    params={
                        "template": "variant-base-of",
                        "reference": repr(reference),
                        "detail": Phrase({lang: p.said(lang) for lang in LANGUAGES}),
                    },
                )
                for p in error.problems
            ],
        ) from None
    base = with_bases(base_document, find, folders, methods, depth + 1)
    rubric_id = data.get("id", base.data.get("id"))
    merged, problems = merge(document, f"{rubric_id}@{data['version']}", base, base_ref, methods)
    if problems:
        raise RubricError(f"{where} is not a valid variant", problems)
    return merged


def _base(
    reference: str,
    document: Document,
    find: Callable[[str], RubricEntry],
    folders: Callable[[], Sequence[Path]],
) -> tuple[Document, str]:
    if _extends_path(reference):
        try:
            base = from_path(_inside(reference, document.source, folders()))
        except DocumentError as error:
            raise RubricError("unreadable", error.problems) from None
        data = base.data if isinstance(base.data, Mapping) else {}
        return base, f"{data.get('id')}@{data.get('version')}"
    if "@" not in reference:
        raise RubricError(
            "no version",
            [Problem("variant-base", "name the version too: extends: <id>@<version>")],
        )
    entry = find(reference)
    return entry.document, entry.ref


def _extends_path(reference: str) -> bool:
    """Whether ``extends`` names a file rather than an id (``cn.gd/dept-overall@2024``)."""
    return (
        Path(reference).suffix.lower() in RUBRIC_SUFFIXES
        or reference.startswith(("/", "./", "../", "~", "\\"))
        or ".." in Path(reference).parts
    )


def _inside(reference: str, source: str | None, folders: Sequence[Path] = ()) -> Path:
    """The file ``extends: reference`` names, which must be a rubric file inside the
    variant's own folder — or, for a rubric a plugin offers (or the search path holds),
    inside that plugin's folder of rubrics: no absolute path, no ``..`` out of it, no
    symlink out of it."""

    def refuse(message: str) -> RubricError:
        return RubricError("refused", [Problem("variant-base", message)])

    if source is None or source.startswith("<"):
        raise refuse("a rubric that is not a file extends by id (extends: <id>@<version>)")
    if Path(reference).is_absolute() or reference.startswith(("~", "\\")):
        raise refuse("extends takes an id, or a path relative to the rubric's own folder")
    if Path(reference).suffix.lower() not in RUBRIC_SUFFIXES:
        raise refuse(f"a rubric file ends in {', '.join(RUBRIC_SUFFIXES)}")
    own = Path(source).resolve().parent
    # the rubric folder that holds this file (the nearest one), else the file's own
    roots = [root for root in folders if own.is_relative_to(root)]
    allowed = max(roots, key=lambda root: len(root.parts)) if roots else own
    target = (own / reference).resolve()
    if not target.is_relative_to(allowed):
        raise refuse("the file is outside the rubric's own folder")
    return target
