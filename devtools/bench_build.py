"""One build in a process of its own, as `make all` runs it, for `make bench`: prints its report as JSON.

The benchmark generates the campaign and runs the baselines in its own process; a build there would carry
that process's heap and the caches of the builds before it, which no clerk's command has.
"""
from __future__ import annotations

import argparse
import json
import resource
from pathlib import Path

from pipeline.run import build


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("campaign", type=Path)
    ap.add_argument("out", type=Path)
    ap.add_argument("targets", nargs="+")
    ap.add_argument("--converters", default=None, help="host:port,… of unoserver servers")
    args = ap.parse_args(argv)
    report = build(args.campaign, args.out, args.targets, log=lambda msg: None, converters=args.converters)
    print(json.dumps({
        "seconds": report.seconds, "timings": report.timings, "pages": report.pages, "built": report.built,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        # the largest process the build waited for, its LibreOffice included (the kernel keeps the maximum)
        "children_peak_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
    }))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
