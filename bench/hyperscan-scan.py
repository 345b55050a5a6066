"""Baseline for bench/scan-vs-hyperscan.ts: Hyperscan (Intel's multi-regex engine, through the
`hyperscan` PyPI package) over the same lines and regexes as `faultline scan`.

One database of every regex that Hyperscan compiles (each is first compiled alone to find those it refuses; that check is timed apart) (caseless, single match per pattern, UTF-8),
each line scanned on its own, as a log matcher reads records. Regexes Hyperscan refuses (RE2
syntax it lacks) are left out and counted, so the baseline does less work than faultline, never
more. Prints one JSON object on stdout.

The compile is slow (tens of seconds for 2,522 regexes), so the scan loop runs `runs` times in
one process and the best pass is reported.

usage: python3 hyperscan-scan.py <regexes.json> <lines file> [runs]
"""
import json
import sys
import time

import hyperscan


def main() -> None:
    regexes = json.load(open(sys.argv[1], encoding="utf-8"))
    flags = hyperscan.HS_FLAG_CASELESS | hyperscan.HS_FLAG_SINGLEMATCH | hyperscan.HS_FLAG_UTF8 | hyperscan.HS_FLAG_ALLOWEMPTY
    c0 = time.process_time()
    accepted = []
    refused = 0
    for rx in regexes:
        # Compiled alone first: one refused regex fails a whole database.
        try:
            hyperscan.Database().compile(expressions=[rx.encode("utf-8")], flags=flags)
            accepted.append(rx.encode("utf-8"))
        except hyperscan.error:
            refused += 1
    check_cpu = time.process_time() - c0
    c0 = time.process_time()
    db = hyperscan.Database()
    db.compile(expressions=accepted, ids=list(range(len(accepted))), flags=[flags] * len(accepted))
    compile_cpu = time.process_time() - c0

    lines = open(sys.argv[2], "rb").read().split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    hit = [False]

    def on_match(_id, _from, _to, _flags, _ctx):
        hit[0] = True
        return None

    runs = int(sys.argv[3]) if len(sys.argv) > 3 else 1
    scan_wall = scan_cpu = float("inf")
    for _ in range(runs):
        matched = 0
        t1 = time.perf_counter()
        c1 = time.process_time()
        for line in lines:
            hit[0] = False
            db.scan(line, match_event_handler=on_match)
            if hit[0]:
                matched += 1
        scan_wall = min(scan_wall, time.perf_counter() - t1)
        scan_cpu = min(scan_cpu, time.process_time() - c1)
    print(json.dumps({
        "patterns": len(accepted),
        "refused": refused,
        "lines": len(lines),
        "matched": matched,
        "checkCpuS": check_cpu,
        "compileCpuS": compile_cpu,
        "scanWallS": scan_wall,
        "scanCpuS": scan_cpu,
    }))


if __name__ == "__main__":
    main()
