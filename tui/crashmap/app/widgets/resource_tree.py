"""The whole /proc/iomem as a tree (sizes in binary units); children are added when expanded."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from crashmap.iomem import Iomem, Resource
from crashmap.units import format_size


def node_label(resource: Resource) -> Text:
    """Start address first, as /proc/iomem has it, then the size, then the name: a narrow
    panel cuts the end of the name, never an address or a size. The whole range shows on the
    map's status line when the resource is highlighted."""
    return Text.assemble(
        (f"{resource.start:#x}", "dim"),
        ("  " + format_size(resource.size), "bold"),
        "  " + (resource.name or "(no name)"),
    )


def describe(resource: Resource) -> str:
    """One resource in full, for the status line: name, whole range, size."""
    return f"{resource.name or '(no name)'}: {resource.start:#x}–{resource.last:#x} " \
           f"({format_size(resource.size)})"


class ResourceTree(Tree[Resource]):
    """Every resource of the map; selecting one zooms the detail grid to it."""

    def __init__(self, iomem: Iomem, *, id: str | None = None) -> None:
        super().__init__(Text("physical address space"), id=id)  # Text: no markup, no emoji table
        self.iomem = iomem
        self.show_root = False
        self.guide_depth = 2

    def on_mount(self) -> None:
        self.border_title = "Resources"
        self._add_children(self.root, self.iomem.roots)
        self.root.expand()

    def _add_children(self, node: TreeNode[Resource], children: list[Resource]) -> None:
        for child in children:
            node.add(node_label(child), data=child, allow_expand=bool(child.children))

    @on(Tree.NodeExpanded)
    def _expanded(self, event: Tree.NodeExpanded[Resource]) -> None:
        node = event.node
        if node.data is not None and not node.children:
            self._add_children(node, node.data.children)
