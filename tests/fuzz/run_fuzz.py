"""Runs a libFuzzer harness of tests/fuzz for a fixed time and judges what
it found. The harness runs in libFuzzer's fork mode, which goes on after a
crash, a hang or a leak and keeps each such input in the artifacts folder;
each is then run alone and its report read:

  - a fault inside the HDF5 library (the faulting frame is in libhdf5 and,
    for a bad access to the heap, the block was allocated by libhdf5 too),
    or a hang whose innermost frame is in libhdf5, is a defect of HDF5's
    reading of damaged files (HDF5 1.10 trusts the sizes and offsets it
    reads): listed as a notice, with the input;
  - an input kept as a hang that runs to its end alone (given 4 times the
    time when it is not a hang in HDF5) was slow, not hung: on a loaded machine a normal input can take
    longer than the limit. Listed as a notice, with its time alone;
  - anything else (a fault or hang in cetwin's code or in a buffer cetwin
    gave HDF5, a leak, undefined behaviour) fails the run, with the report.

usage: run_fuzz.py HARNESS KIND SECONDS ARTIFACTS CORPUS [SEEDS...] [-- LIBFUZZER_FLAGS...]
  KIND: case, info, merge, merge_sensitivity or merge_sweep (the artifacts' prefix); CORPUS:
  the folder the inputs found go to (then the seed folders, read only).
  run_fuzz.py HARNESS --judge ARTIFACT...: judges inputs found earlier."""
import os
import re
import subprocess
import sys
import time

HANG_S = 5  # an input that takes longer is a hang (one takes a few milliseconds)
JUDGE_HANG_S = 4 * HANG_S  # the time an input kept as a hang gets when run alone
EXECUTED = re.compile(r"^Executed .* in (\d+) ms")
FRAME = re.compile(r"^\s*#\d+ 0x[0-9a-f]+ ")
# frames of the sanitizers, of libFuzzer and of the C library's signal and
# abort machinery, which say nothing about where the fault is
RUNTIME = ("__interceptor_", "__asan", "__sanitizer", "__ubsan", "fuzzer::", "libclang_rt",
           "compiler-rt", "libc.so", "/libc-", "sysdeps/", "__restore_rt", "libFuzzer",
           "in raise", "in abort", "__GI_", "__libc_", "in malloc ", "in calloc ",
           "in realloc ", "in free ", "in strdup ", "in memcpy ", "in memmove ", "in memset ")


def first_frame(lines, start):
    """The first frame from lines[start] on that is not the runtime's."""
    for line in lines[start:]:
        if not FRAME.match(line):
            return ""
        if not any(r in line for r in RUNTIME):
            return line.strip()
    return ""


def run_alone(harness, artifact, hang_s):
    p = subprocess.run([harness, f"-timeout={hang_s}", artifact], capture_output=True, text=True)
    return [line for line in p.stderr.splitlines() if not line.startswith("INFO:")]


def slow_not_hung(path, lines):
    """The milliseconds an input kept as a hang took alone, when it ran to
    its end without a report; else None."""
    if "-timeout-" not in os.path.basename(path) or any("ERROR: " in line for line in lines):
        return None
    ms = [int(m.group(1)) for m in map(EXECUTED.match, lines) if m]
    return ms[0] if ms else None


def hdf5_defect(lines):
    """True when the report is a fault or hang inside HDF5 (see above)."""
    error = next((i for i, line in enumerate(lines) if "ERROR: " in line), None)
    if error is None or "LeakSanitizer" in lines[error] or any("runtime error:" in line
                                                                 for line in lines):
        return False
    frames = next((i for i in range(error, len(lines)) if FRAME.match(lines[i])), None)
    if frames is None or "libhdf5" not in first_frame(lines, frames):
        return False
    allocated = next((i for i in range(frames, len(lines))
                      if re.search(r"(allocated|freed) by thread", lines[i])), None)
    return allocated is None or "libhdf5" in first_frame(lines, allocated + 1)


def judge(harness, paths):
    """Prints the verdict on each input; returns the number of failures."""
    failures = 0
    for path in paths:
        lines = run_alone(harness, path, HANG_S)
        if "-timeout-" in os.path.basename(path) and not hdf5_defect(lines):
            lines = run_alone(harness, path, JUDGE_HANG_S)  # hung, or slow on a busy machine?
        ms = slow_not_hung(path, lines)
        if ms is not None:
            print(f"notice: {path} was kept as a hang but ran alone in {ms} ms: the machine "
                  "was busy")
        elif hdf5_defect(lines):
            where = next((line.strip() for line in lines if "libhdf5" in line), "")
            print(f"notice: a defect of HDF5 on the damaged file {path}:\n  {where}")
        else:
            failures += 1
            print(f"FAIL: {path}\n" + "\n".join(lines[-60:]))
    return failures


def main():
    args = sys.argv[1:]
    if len(args) >= 2 and args[1] == "--judge":
        sys.exit(1 if judge(args[0], args[2:]) else 0)
    flags = []
    if "--" in args:
        flags = args[args.index("--") + 1:]
        args = args[:args.index("--")]
    harness, kind, seconds, artifacts, corpus = args[:5]
    seeds = args[5:]
    os.makedirs(artifacts, exist_ok=True)
    os.makedirs(corpus, exist_ok=True)
    before = set(os.listdir(artifacts))
    cmd = [harness, "-fork=1", "-ignore_crashes=1", "-ignore_timeouts=1", "-ignore_ooms=1",
           f"-timeout={HANG_S}", f"-max_total_time={seconds}",
           f"-artifact_prefix={artifacts}/{kind}-"] + flags + [corpus] + seeds
    start = time.time()
    p = subprocess.run(cmd, capture_output=True, text=True)
    lines = p.stderr.splitlines()
    stats = [line for line in lines if " cov: " in line]
    print(f"{kind}: {time.time() - start:.0f} s, exit {p.returncode}; last statistics:")
    print("\n".join(stats[-2:]))
    found = [os.path.join(artifacts, name) for name in sorted(set(os.listdir(artifacts)) - before)]
    failures = judge(harness, found)
    if not found and p.returncode != 0:
        print("\n".join(lines[-40:]))
        failures += 1
    sys.exit(1 if failures else 0)


main()
