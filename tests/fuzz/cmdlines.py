"""Kernel command lines: real ones, grammar-shaped crashkernel= words, and hostile ones."""

from __future__ import annotations

import random

from tests.fuzz.mutate import Mutator

REAL = (
    "BOOT_IMAGE=/vmlinuz-6.8.0-45-generic root=UUID=0e7a4c1c ro quiet splash "
    "crashkernel=512M-:192M",
    "BOOT_IMAGE=(hd0,gpt2)/vmlinuz-5.14.0-427.el9.x86_64 root=/dev/mapper/rhel-root ro "
    "crashkernel=1G-4G:192M,4G-64G:256M,64G-:512M resume=/dev/mapper/rhel-swap "
    "rd.lvm.lv=rhel/root",
    "root=/dev/sda1 console=ttyS0,115200 crashkernel=256M",
    "root=/dev/vda2 crashkernel=1G,high crashkernel=128M,low",
    "console=ttyAMA0 root=/dev/mmcblk0p2 rootwait crashkernel=128M@0x30000000",
    "root=/dev/sda quiet -- single crashkernel=64M",
    "crashkernel=2G-4G:320M,4G-32G:512M,32G-64G:1024M,64G-128G:2048M,128G-:4096M",
    "crashkernel=256M crashkernel=512M,cma",
    "ro crashkernel=auto rhgb quiet",
    "xcrashkernel=1G crashkernel=64M,low",
    "",
)

_UNITS = ("", "K", "M", "G", "T", "P", "E", "k", "m", "g", "MB", "MiB", "x", "")


def size(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.6:
        return f"{rng.choice((0, 1, 16, 64, 96, 128, 192, 256, 384, 512, 768, 1024, 4096))}" \
               f"{rng.choice(_UNITS)}"
    if roll < 0.8:
        return hex(rng.randrange(1 << rng.choice((8, 32, 64, 70))))
    return Mutator(rng).token()


def range_table(rng: random.Random, entries: int | None = None) -> str:
    count = entries if entries is not None else rng.choice((1, 2, 3, 5, 20, 200, 2000))
    parts, start = [], 0
    for _ in range(count):
        step = rng.choice((128, 512, 1024, 4096, 1 << 20))
        end = start + step
        open_end = rng.random() < 0.05
        parts.append(f"{start}M-{'' if open_end else f'{end}M'}:{size(rng)}")
        start = end if rng.random() < 0.9 else max(0, start - step)
    table = ",".join(parts)
    if rng.random() < 0.2:
        table += "@" + size(rng)
    return table


def crashkernel_word(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.35:
        value = size(rng) + (f"@{size(rng)}" if rng.random() < 0.2 else "")
    elif roll < 0.7:
        value = range_table(rng)
    elif roll < 0.9:
        value = size(rng) + rng.choice((",high", ",low", ",cma", ",HIGH", ",", ",cma,low"))
    else:
        value = Mutator(rng).mutate(range_table(rng, 3))
    return "crashkernel=" + value


def cmdline(rng: random.Random) -> str:
    """A whole command line: a real one edited, grammar words added, sometimes far too long."""
    words = rng.choice(REAL).split()
    for _ in range(rng.choice((0, 1, 1, 2, 3, 8))):
        words.insert(rng.randint(0, len(words)), crashkernel_word(rng))
    if rng.random() < 0.15:
        words += [f"opt{i}=value{i}" for i in range(rng.choice((100, 500, 3000)))]
    line = rng.choice((" ", " ", "  ", "\t")).join(words)
    if rng.random() < 0.3:
        line = Mutator(rng).mutate(line)
    return line
