"""Turns the JSON lines of scripts/bench.sh into docs/performance.md (machine, date, results)."""
import json
import os
import platform
import subprocess
import sys
from datetime import datetime, timezone

TARGETS = {
    "import": "our import at least half as fast as plain `psql \\copy` of the same file (ratio ≥ 0.5)",
    "generator": "peak memory of the large-scale generator < 500 MB",
    "quote": "≥ 500,000 quotes/s on one core with a 50-step policy and 10,000 dealers' terms",
    "close": "close ≤ 3× one plain scan of the same rows; peak memory ≤ 1 GiB",
    "whatif": "a what-if on the large data set no slower than the close itself",
    "sellout": "ingestion ≤ 2.5× plain `psql \\copy` of the same rows; peak memory ≤ 300 MB",
    "http": "quote ≥ 50 % of `/health` throughput and ≥ 10,000 req/s",
}


def machine():
    model = "unknown"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = "unknown"
    try:
        for line in open("/proc/meminfo"):
            if line.startswith("MemTotal"):
                memory = f"{int(line.split()[1]) // 1024 // 1024} GiB"
    except OSError:
        pass
    swift = subprocess.run(["swift", "--version"], capture_output=True, text=True).stdout
    return model, os.cpu_count(), memory, platform.platform(), swift.splitlines()[0] if swift else "?"


def main(path):
    model, cores, memory, system, swift = machine()
    now = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    out = [
        "# Performance",
        "",
        "Written by `make bench` (scripts/bench.sh); every figure below comes from one run, so",
        "ratios compare measurements taken minutes apart on the same machine. Medians where a part",
        "repeats its measurement.",
        "",
        f"- date: {now}",
        f"- machine: {model}, {cores} cores, {memory}",
        f"- system: {system}",
        f"- toolchain: {swift}",
        "",
    ]
    for line in open(path):
        record = json.loads(line)
        part, result = record["part"], record["result"]
        out.append(f"## {part}")
        out.append("")
        if part in TARGETS:
            out.append(f"Target: {TARGETS[part]}.")
            out.append("")
        out.append("| measure | value |")
        out.append("| --- | --- |")
        for key, value in result.items():
            out.append(f"| {key} | {value} |")
        out.append("")
    print("\n".join(out))


if __name__ == "__main__":
    main(sys.argv[1])
