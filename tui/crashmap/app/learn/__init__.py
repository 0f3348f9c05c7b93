"""The Learn chapters: short Markdown texts about kdump and ``crashkernel=``, as package data.

Pure: no Textual here, so tests, the command palette and findings can list chapters cheaply.
Each chapter is ``<id>.md`` next to this file; its title is the file's first ``# `` heading.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

_LABELS: dict[str, str] = {
    "kdump": "What kdump is",
    "syntax": "crashkernel= forms",
    "lowhigh": "Low and high",
    "placement": "Placement",
    "fragmentation": "Fragmentation",
    "cma": "CMA",
    "sizing": "Sizing",
}

CHAPTER_IDS: tuple[str, ...] = tuple(_LABELS)
"""The chapters in reading order; findings link to these ids."""


def chapter_text(chapter: str) -> str:
    """The Markdown of one chapter; ``KeyError`` for an unknown id.

    ``{{cma_kernels}}`` in a chapter becomes the table of which kernels read ``,cma``, made
    from the version rules (crashmap.kernel.versions), so the text never goes stale.
    """
    if chapter not in CHAPTER_IDS:
        raise KeyError(f"no Learn chapter {chapter!r} (chapters: {', '.join(CHAPTER_IDS)})")
    text = _read(chapter)
    if "{{cma_kernels}}" in text:
        text = text.replace("{{cma_kernels}}", cma_kernels_table())
    return text


def cma_kernels_table() -> str:
    """Markdown: which arch reads ``,cma`` from which release, with the commit."""
    from crashmap.kernel.versions import CMA_READ, CMA_SUFFIX

    names = {"x86": "x86_64", "powerpc": "ppc64le", "arm64": "arm64", "riscv": "riscv64"}
    rows = ["| Arch | reads `,cma` from | commit |", "|---|---|---|"]
    for family, rule in CMA_READ.items():
        rows.append(f"| {names.get(family, family)} | Linux {rule.since_text} | "
                    f"`{rule.commit}` ({rule.file}) |")
    rows.append("| loongarch64, s390x, arm, mips | never (no `cma_size` pointer) | |")
    rows.append("")
    rows.append(f"Before Linux {CMA_SUFFIX.since_text} (`{CMA_SUFFIX.commit}`) no kernel knows "
                f"the `,cma` ending: `crashkernel=64M,cma` is then a **plain** word, the "
                f"kernel rejects it at the `,`, and as the last plain word it replaces an "
                f"earlier `crashkernel=256M`: nothing is reserved.")
    return "\n".join(rows)


@cache
def _read(chapter: str) -> str:
    return resources.files(__name__).joinpath(f"{chapter}.md").read_text(encoding="utf-8")


def chapter_title(chapter: str) -> str:
    """The chapter's first ``# `` heading."""
    for line in chapter_text(chapter).splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    return chapter


def chapter_label(chapter: str) -> str:
    """A short name for lists and the command palette (``KeyError`` for an unknown id)."""
    return _LABELS[chapter]


def chapters() -> list[tuple[str, str]]:
    """``(id, title)`` of every chapter, in reading order."""
    return [(chapter, chapter_title(chapter)) for chapter in CHAPTER_IDS]


def neighbour(chapter: str, offset: int) -> str:
    """The chapter ``offset`` places away, clamped to the first and last."""
    index = CHAPTER_IDS.index(chapter) + offset
    return CHAPTER_IDS[max(0, min(len(CHAPTER_IDS) - 1, index))]


__all__ = ["CHAPTER_IDS", "chapter_label", "chapter_text", "chapter_title", "chapters", "neighbour"]
