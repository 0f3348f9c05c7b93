"""What the other kdump tools do, where crashmap reads their output or mirrors their rules.

One module per tool: :mod:`anaconda` (the installer's kdump add-on), :mod:`kdumpctl`
(Fedora/RHEL kdump-utils), :mod:`kdumptool` (SUSE kdump). Pure code: no Textual, no I/O.
"""
