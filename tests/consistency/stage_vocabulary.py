#!/usr/bin/env python3
"""The stage vocabulary exists in three places that cannot include each other: the host's
machine/stage.h (StageCode), the kernels' kernels/include/kdsim/stage.h (KDSIM_STAGE_*) and the
self-contained purgatory's kernels/purgatory/stage_codes.h (PURGATORY_STAGE_*), plus the stage
port's register offsets on both sides. This check fails when any copy drifts from the host's."""
import re
import sys

root = sys.argv[1]


def read(path):
    with open(f"{root}/{path}") as f:
        return f.read()


def camel(name):  # MACHINE_CRASH_SHUTDOWN -> MachineCrashShutdown
    return "".join(w.capitalize() for w in name.lower().split("_"))


host = {m[0]: int(m[1], 16) for m in re.findall(r"^\s+(\w+) = (0x[0-9a-fA-F]+),", read("machine/stage.h"), re.M)}
if len(host) < 15:
    sys.exit(f"machine/stage.h: only {len(host)} StageCode values found; the pattern no longer matches")
errors = []
checked = 0


def check(source, define, value, host_name):
    global checked
    checked += 1
    if host_name not in host:
        errors.append(f"{source}: {define} = {value:#x} has no StageCode::{host_name} in machine/stage.h")
    elif host[host_name] != value:
        errors.append(f"{source}: {define} = {value:#x} but StageCode::{host_name} = {host[host_name]:#x}")


kernel = "kernels/include/kdsim/stage.h"
for name, value in re.findall(r"#define KDSIM_STAGE_(\w+) (0x[0-9a-fA-F]+)", read(kernel)):
    check(kernel, f"KDSIM_STAGE_{name}", int(value, 16), camel(name))
purgatory = "kernels/purgatory/stage_codes.h"
pdefs = dict(re.findall(r"#define PURGATORY_STAGE_(\w+) (0x[0-9a-fA-F]+)", read(purgatory)))
for name in ("ENTRY", "DIGEST_OK", "DIGEST_MISMATCH"):
    if name not in pdefs:
        errors.append(f"{purgatory}: PURGATORY_STAGE_{name} is missing")
        continue
    check(purgatory, f"PURGATORY_STAGE_{name}", int(pdefs[name], 16), "Purgatory" + camel(name) if name == "ENTRY" else camel(name))

# The stage port's registers: the device (machine/devices/stage_port.cpp), the kernels'
# kdsim/devices.h and the purgatory's copy.
port = dict(re.findall(r"k(Arg[01](?:Lo|Hi)|Stage) = (0x[0-9a-fA-F]+)", read("machine/devices/stage_port.cpp")))
names = {"Arg0Lo": "ARG0_LO", "Arg0Hi": "ARG0_HI", "Arg1Lo": "ARG1_LO", "Arg1Hi": "ARG1_HI", "Stage": "REG"}
devices = dict(re.findall(r"#define KDSIM_STAGE_(ARG[01]_(?:LO|HI)|REG) (0x[0-9a-fA-F]+)", read("kernels/include/kdsim/devices.h")))
for host_name, guest in names.items():
    if host_name not in port:
        errors.append(f"machine/devices/stage_port.cpp: k{host_name} not found")
        continue
    for source, table, prefix in (("kernels/include/kdsim/devices.h", devices, "KDSIM_STAGE_"),
                                  (purgatory, pdefs, "PURGATORY_STAGE_")):
        checked += 1
        if table.get(guest) is None:
            errors.append(f"{source}: {prefix}{guest} is missing")
        elif int(table[guest], 16) != int(port[host_name], 16):
            errors.append(f"{source}: {prefix}{guest} = {table[guest]} but the device's k{host_name} = {port[host_name]}")

for e in errors:
    print("DRIFT:", e)
print(f"{checked} stage codes and port registers compared, {len(errors)} differ")
sys.exit(1 if errors else 0)
