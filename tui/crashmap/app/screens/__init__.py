"""Secondary screens of the TUI, each opened lazily by the app (import the submodule you need).

- :class:`crashmap.app.screens.help.HelpScreen` — every key of the app and the current screen.
- :class:`crashmap.app.screens.learn.LearnScreen` — the Learn chapters about kdump.
- :class:`crashmap.app.screens.ranges.RangeTableScreen` — a range table plotted against RAM.
- :class:`crashmap.app.screens.export.ExportScreen` — preview, copy or save the command line.
- :class:`crashmap.app.screens.open_source.OpenSourceScreen` — pick another map to open.

Nothing is imported here so that opening one screen does not pay for the others.
"""
