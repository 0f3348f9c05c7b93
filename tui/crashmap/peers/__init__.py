"""What the other kdump tools do, where crashmap reads their output or mirrors their rules.

One module per tool or output: :mod:`anaconda` (the installer's kdump add-on), :mod:`kdumpctl`
(Fedora/RHEL kdump-utils), :mod:`kdumptool` (SUSE kdump), :mod:`calibrate` (``kdumptool
calibrate`` output) and :mod:`kdumpctl_estimate` (``kdumpctl estimate`` output). Pure code: no
Textual, no I/O.
"""
