"""The rollout of a fleet plan for Ansible: variables and a task file, printed, never applied.

- ``group_vars/all/crashmap.yml``: the first plan's words (``crashmap_crashkernel``), the
  Debian ``/etc/default/grub.d`` snippet for them (``crashmap_grub_cfg``, the ``grub`` export
  format), and ``kdump_auto_reset_crashkernel: false`` for ``linux-system-roles.kdump``;
- ``host_vars/HOST/crashmap.yml`` for every host on another plan;
- ``crashmap-crashkernel.yml``: tasks that apply the words with the platform's tool: ``grubby``
  where it is installed (Fedora, RHEL, CentOS: BLS entries; then ``zipl`` on s390x) on the boot
  entry ``crashmap export`` chooses (``crashmap_update_kernel``: the running kernel's,
  ``/boot/vmlinuz-{{ ansible_facts['kernel'] }}``, as ``kdumpctl reset-crashkernel`` does, or
  ``--update-kernel=ALL|PATH``), the grub.d
  snippet and ``update-grub`` on Debian and Ubuntu, ``/etc/zipl.conf`` and ``zipl`` on an s390x
  without grubby. They compare the words with the running kernel's ``/proc/cmdline`` and leave a
  host that already boots with them alone; they never reboot.

``linux-system-roles.kdump`` manages the kdump service but sets no size (its maintainers have
declined a size variable since 2018, linux-system-roles/kdump#18); on RHEL 9 and later it runs
``kdumpctl reset-crashkernel``, and kdump-utils resets crashkernel= after kernel updates unless
``auto_reset_crashkernel no``: so run these tasks after the role, with the role's
``kdump_auto_reset_crashkernel: false``.
"""

from __future__ import annotations

import json

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (slow to import)

if TYPE_CHECKING:
    from typing import Any

    from crashmap.fleet.plan import FleetPlan

TASKS_FILE = "crashmap-crashkernel.yml"

TASKS = """\
---
# crashmap-crashkernel.yml, printed by `crashmap fleet --suggest --rollout`: sets the
# crashkernel= words of `crashmap_crashkernel` (group_vars/host_vars) in the boot loader.
# Run it after linux-system-roles.kdump, in the same play:
#
#   - hosts: all
#     become: true
#     roles: [linux-system-roles.kdump]
#     tasks:
#       - ansible.builtin.include_tasks: crashmap-crashkernel.yml
#
# Nothing reboots: a host takes the new reservation on its next boot.
- name: Read the running kernel's command line
  ansible.builtin.slurp:
    src: /proc/cmdline
  register: crashmap_proc_cmdline

- name: Compare its crashkernel= words with the plan
  ansible.builtin.set_fact:
    crashmap_words: "{{ crashmap_crashkernel.split() }}"
    crashmap_running: "{{ (crashmap_proc_cmdline.content | b64decode).split()
                          | select('match', 'crashkernel=') | list }}"

- name: Find grubby (BLS entries on Fedora, RHEL, CentOS)
  ansible.builtin.stat:
    path: /usr/sbin/grubby
  register: crashmap_grubby

- name: Set crashkernel= with grubby (the boot entry of crashmap_update_kernel, or ALL)
  ansible.builtin.command:
    argv: "{{ ['grubby', '--update-kernel=' ~ crashmap_update_kernel,
               '--args=' ~ crashmap_crashkernel]
              + (['--remove-args=' ~ (crashmap_running | difference(crashmap_words)
                                      | join(' '))]
                 if crashmap_running | difference(crashmap_words) else []) }}"
  when: crashmap_grubby.stat.exists and crashmap_running != crashmap_words
  register: crashmap_grubby_run

- name: Check that every word reached the entries (grubby versions differ with repeated keys)
  ansible.builtin.command:
    argv: ["grubby", "--info={{ crashmap_update_kernel }}"]
  register: crashmap_grubby_info
  changed_when: false
  when: crashmap_grubby_run is changed
  failed_when: >-
    crashmap_grubby_info.rc != 0 or
    (crashmap_words | reject('in', crashmap_grubby_info.stdout) | list)

- name: Write the boot record (s390x)
  ansible.builtin.command: zipl
  when: crashmap_grubby_run is changed and ansible_facts['architecture'] == 's390x'

- name: Make /etc/default/grub.d (Debian, Ubuntu)
  ansible.builtin.file:
    path: /etc/default/grub.d
    state: directory
    mode: "0755"
  when: not crashmap_grubby.stat.exists and ansible_facts['os_family'] == 'Debian'
    and ansible_facts['architecture'] != 's390x'

- name: Set crashkernel= for update-grub (Debian, Ubuntu)
  ansible.builtin.copy:
    dest: /etc/default/grub.d/zz-crashmap-crashkernel.cfg
    content: "{{ crashmap_grub_cfg }}"
    mode: "0644"
  when: not crashmap_grubby.stat.exists and ansible_facts['os_family'] == 'Debian'
    and ansible_facts['architecture'] != 's390x'
  register: crashmap_grub_cfg_file

- name: Regenerate grub.cfg
  ansible.builtin.command: update-grub
  when: crashmap_grub_cfg_file is changed

- name: Set crashkernel= in /etc/zipl.conf (s390x without grubby)
  ansible.builtin.command:
    argv:
      - sed
      - -E
      - -i
      - -e
      - '/^[[:space:]]*parameters[[:space:]]*=/s/[[:space:]]*crashkernel=[^[:space:]"]*//g'
      - -e
      - '/^[[:space:]]*parameters[[:space:]]*=/s/"[[:space:]]*$/ {{ crashmap_crashkernel }}"/'
      - /etc/zipl.conf
  when: not crashmap_grubby.stat.exists and ansible_facts['architecture'] == 's390x'
    and crashmap_running != crashmap_words
  register: crashmap_zipl_conf

- name: Write the boot record (s390x)
  ansible.builtin.command: zipl
  when: crashmap_zipl_conf is changed

- name: Say what is left to do
  ansible.builtin.debug:
    msg: "crashkernel= is now '{{ crashmap_crashkernel }}' for the next boot; reboot when it
          suits (the running kernel has '{{ crashmap_running | join(' ') }}')"
  when: crashmap_running != crashmap_words

- name: No known boot-loader tool on this host
  ansible.builtin.fail:
    msg: "crashmap's tasks know grubby, Debian's update-grub and s390x zipl; set
          '{{ crashmap_crashkernel }}' by hand (crashmap export --format lists the others)"
  when: not crashmap_grubby.stat.exists and ansible_facts['os_family'] != 'Debian'
    and ansible_facts['architecture'] != 's390x'
"""
"""The task file (static: the words come from the variables)."""


RUNNING_RELEASE = "{{ ansible_facts['kernel'] }}"
"""The host's ``uname -r`` when the play runs (Ansible's ``kernel`` fact)."""


def _vars(plan: Any, hosts: int, *, first: bool, update_kernel: str) -> str:
    """One variables file for ``plan``: the words, the grub.d snippet of the export formats;
    the first also the boot entry grubby changes (``update_kernel``, :func:`boot_entry`)."""
    from crashmap.export import export

    grub = export("grub", plan.words, "", None).text
    lines = [f"# crashmap fleet plan for {hosts} host{'s' if hosts != 1 else ''}"]
    for bracket in plan.brackets:
        if plan.kind == "table":
            from crashmap.fleet.plan import describe_bracket

            lines.append(f"#   {describe_bracket(bracket)}")
    lines.append(f"crashmap_crashkernel: {json.dumps(plan.cmdline)}")
    lines.append("crashmap_grub_cfg: |")
    lines.extend(f"  {line}" if line else "" for line in grub.splitlines())
    if first:
        from crashmap.export.common import comment_lines
        from crashmap.export.tools import entry_note

        lines.extend(comment_lines(entry_note(update_kernel)))
        lines.append(f"crashmap_update_kernel: {json.dumps(update_kernel)}")
        lines.append("# linux-system-roles.kdump: keep kdump-utils from resetting the size")
        lines.append("kdump_auto_reset_crashkernel: false")
    return "\n".join(lines) + "\n"


def files(result: FleetPlan, update_kernel: str | None = None) -> dict[str, str]:
    """Path → text of every rollout file, in the order to show them. ``update_kernel`` is
    ``crashmap export --update-kernel``'s PATH or ALL; None: each host's running kernel."""
    from crashmap.export import boot_entry

    entry = boot_entry(update_kernel, RUNNING_RELEASE)
    out: dict[str, str] = {}
    if not result.plans:
        return out
    counts = [p.hosts for p in result.plans]
    out["group_vars/all/crashmap.yml"] = _vars(result.plans[0], counts[0], first=True,
                                               update_kernel=entry)
    for host, index in sorted(result.assignment.items()):
        out[f"host_vars/{host}/crashmap.yml"] = _vars(result.plans[index], counts[index],
                                                      first=False, update_kernel=entry)
    out[TASKS_FILE] = TASKS
    return out


def render(result: FleetPlan, update_kernel: str | None = None) -> str:
    """Every file, each after a ``# --- PATH`` line, for a terminal or a pipe."""
    return "".join(f"# --- {path}\n{text}"
                   for path, text in files(result, update_kernel).items())
