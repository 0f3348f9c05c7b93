#!/bin/sh
# crashmap-collect.sh: print what crashmap needs to plan crashkernel= on this host, as one
# text bundle on stdout ("crashmap-collect 1", then "@@crashmap KIND NAME" sections).
#
# Reads only; changes nothing. POSIX sh with cat, grep, uname, getconf, wc (busybox is enough):
# Ansible runs it with the `script` module, which needs no Python on the host. Run it as root
# (become: true): without CAP_SYS_ADMIN the kernel shows /proc/iomem with zero addresses.
# crashmap reads the bundle as a SOURCE (crashmap/collect.py documents the format).
exec 2>/dev/null
LC_ALL=C
export LC_ALL

section() { printf '@@crashmap %s %s\n' "$1" "$2"; }

# A file's bytes, then one newline the reader strips (so a file without a final newline
# comes back exactly).
file() {
    [ -r "$1" ] || return 0
    [ -d "$1" ] && return 0
    section file "$1"
    cat "$1"
    echo
}

run() {
    name=$1
    shift
    command -v "$1" >/dev/null || return 0
    section cmd "$name"
    "$@"
    echo
}

size() {
    [ -f "$1" ] || return 0
    section size "$1"
    wc -c < "$1" | tr -d ' '
}

echo "crashmap-collect 1"
run "date" date -u +%Y-%m-%dT%H:%M:%SZ
run "id -u" id -u
run "uname -n" uname -n
run "uname -r" uname -r
run "uname -m" uname -m
run "getconf PAGESIZE" getconf PAGESIZE
run "getconf _NPROCESSORS_CONF" getconf _NPROCESSORS_CONF

for f in /proc/iomem /proc/cmdline /proc/meminfo /proc/modules /etc/os-release \
         /sys/kernel/kexec/loaded /sys/kernel/kexec/crash_loaded /sys/kernel/kexec/crash_size \
         /sys/kernel/kexec/crash_cma_ranges /sys/kernel/kexec/crash_elfcorehdr_size \
         /sys/kernel/kexec_loaded /sys/kernel/kexec_crash_loaded /sys/kernel/kexec_crash_size \
         /sys/kernel/kexec_crash_cma_ranges /sys/kernel/crash_elfcorehdr_size \
         /sys/kernel/fadump/enabled /sys/kernel/fadump_enabled \
         /sys/module/zswap/parameters/enabled /sys/module/zswap/parameters/max_pool_percent \
         /etc/kdump.conf /etc/sysconfig/kdump /etc/default/kdump-tools; do
    file "$f"
done

# The memory lines of this boot's kernel log: the journal keeps the whole boot, the ring
# buffer may have lost its start on a long-running host. The grep is a coarse superset of
# the lines crashmap keeps (crashmap.bootlog.memory_lines picks them again).
PREFILTER='e820|ramdisk|crash|cma|memory|tlb|efi: mem|zone|dma|normal|movable|node|reserved|mem=|memmap=|system ram|linux version|command line|gb pages'
log=$(journalctl -k -b 0 -o cat --no-pager | grep -iE "$PREFILTER")
[ -n "$log" ] || log=$(dmesg | grep -iE "$PREFILTER")
if [ -n "$log" ]; then
    section cmd bootlog
    printf '%s\n' "$log"
    echo
fi

# The running kernel's image and initrd under /boot (the sizing models read their sizes).
release=$(uname -r)
for f in "/boot/vmlinuz-$release" "/boot/vmlinux-$release" "/boot/Image-$release" \
         "/boot/image-$release" "/boot/initrd.img-$release" "/boot/initramfs-$release.img" \
         "/boot/initrd-$release" "/boot/initramfs-$release" \
         "/boot/initramfs-${release}kdump.img"; do
    size "$f"
done

# kdump's own view, where its tools are installed (read-only commands).
for unit in kdump.service kdump-tools.service; do
    run "systemctl is-active $unit" systemctl is-active "$unit"
    run "systemctl is-enabled $unit" systemctl is-enabled "$unit"
done
run "kdumpctl estimate" kdumpctl estimate
run "kdump-config show" kdump-config show
section end crashmap
