"""Report folders: a field that should be a number is read by the one strict reader, so no text
in /proc/modules, /proc/meminfo or a sysfs file can crash the load (the '²' that isdigit()
accepts and int() refuses, 5000 digits, Arabic-Indic digits)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from crashmap.errors import CrashmapError
from crashmap.estimate.inputs import Inputs, parse_calibrate_conf, parse_meminfo, parse_modules
from crashmap.estimate.models import CALIBRATE_KEYS, suse_calibrate
from crashmap.sources import load_report_dir
from crashmap.units import U64_MAX, decimal, hexadecimal
from hypothesis import given
from hypothesis import strategies as st

from tests.corpus import dump
from tests.property.profile import examples

NUMBERISH = st.one_of(
    st.integers(min_value=-(1 << 70), max_value=1 << 70).map(str),
    st.text(alphabet="0123456789²³¹٣߂𝟘½+-_ x.", min_size=1, max_size=30),
    st.sampled_from(["9" * 5000, "0x" + "f" * 5000, "18446744073709551616", "1²", "٣"]),
)


@examples(300)
@given(st.text(max_size=40))
def test_decimal_is_int_on_ascii_digits_and_none_on_anything_else(text: str) -> None:
    value = decimal(text)
    stripped = text.strip()
    ascii_digits = stripped.isascii() and stripped.isdigit() and 0 < len(stripped) <= 20
    if ascii_digits and int(stripped) <= U64_MAX:
        assert value == int(stripped)
    else:
        assert value is None


@examples(200)
@given(NUMBERISH)
def test_decimal_and_hexadecimal_never_raise(text: str) -> None:
    for value in (decimal(text), hexadecimal(text)):
        assert value is None or 0 <= value <= U64_MAX


@examples(200)
@given(st.lists(st.tuples(st.text(alphabet="abc_", min_size=1, max_size=6), NUMBERISH),
                max_size=8))
def test_modules_meminfo_and_calibrate_parsers_keep_only_real_numbers(rows) -> None:
    modules = "\n".join(f"{name} {size} 0 - Live 0x0" for name, size in rows)
    meminfo = "\n".join(f"{name}: {size} kB" for name, size in rows)
    conf = "\n".join(f"{name.upper()}={size}" for name, size in rows)
    for _, size in parse_modules(modules):
        assert 0 <= size <= U64_MAX
    for value in parse_meminfo(meminfo).values():
        assert 0 <= value << 10 <= U64_MAX
    for value in parse_calibrate_conf(conf).values():
        assert -U64_MAX <= value <= U64_MAX


@examples(60)
@given(st.dictionaries(st.sampled_from(["proc/meminfo", "proc/modules", "uname",
                                        "sys/kernel/kexec_crash_size",
                                        "sys/kernel/kexec_crash_loaded"]), NUMBERISH))
def test_a_sosreport_with_any_number_fields_loads_or_says_why(fields) -> None:
    templates = {"proc/meminfo": "MemTotal: {} kB\n", "proc/modules": "e1000e {} 0 - Live 0x0\n",
                 "uname": "Linux box 6.{}.0 #1 SMP x86_64 GNU/Linux\n",
                 "sys/kernel/kexec_crash_size": "{}\n", "sys/kernel/kexec_crash_loaded": "{}\n"}
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "proc").mkdir()
        (root / "proc/iomem").write_text(dump("01").read_text())
        for name, value in fields.items():
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            (root / name).write_text(templates[name].format(value))
        try:
            snapshot = load_report_dir(root)
        except CrashmapError as error:
            assert str(error).startswith(str(root))
            return
        import json

        from crashmap.estimate.report import build, to_json

        json.dumps(to_json(build(snapshot, live=False)), allow_nan=False)


@examples(150)
@given(st.fixed_dictionaries({k: st.integers(min_value=-5, max_value=1 << 20)
                              for k in CALIBRATE_KEYS}))
def test_suse_model_computes_or_says_unknown_for_any_calibrate_conf(conf) -> None:
    inputs = Inputs(arch="x86_64", ram=16 << 30, cpus=8, calibrate=conf)
    result = suse_calibrate(inputs)
    assert result.bytes is None or result.bytes > 0
