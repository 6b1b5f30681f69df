#!/usr/bin/env python3
"""Writes a copy of a NAB-layout corpus with every series converted, for the invariance audit of
docs/detection-quality.md: the detector should score a series the same in other units or another time zone.

  python3 scripts/transform.py SRC DEST scale=A,offset=B     # each reading v becomes A*v + B
  python3 scripts/transform.py SRC DEST shift=H              # each timestamp (and window bound) moves H hours
  python3 scripts/transform.py SRC DEST drop=P,gaps=N        # readings lost: each with chance P, and N outages of
                                                             # 36 rows a file (window bounds are kept; seeded)

SRC and DEST hold data/<category>/<file>.csv and labels/combined_windows.json. Then, e.g.:
  java -jar target/vigil.jar evaluate --data DEST/data --labels DEST/labels/combined_windows.json \\
      --folds ../shared/nab/folds.json --fold a --seeds 1-5 --out /tmp/ev-dest
"""
import csv
import datetime
import json
import os
import random
import sys

FORMAT = '%Y-%m-%d %H:%M:%S'


def parse(spec):
    args = dict(part.split('=') for part in spec.split(','))
    scale, offset = float(args.get('scale', 1)), float(args.get('offset', 0))
    hours = float(args.get('shift', 0))
    unknown = set(args) - {'scale', 'offset', 'shift', 'drop', 'gaps'}
    if unknown:
        sys.exit(f'unknown transform {", ".join(sorted(unknown))}: use scale, offset, shift, drop, gaps')
    return scale, offset, datetime.timedelta(hours=hours), float(args.get('drop', 0)), int(args.get('gaps', 0))


def kept_rows(count, drop, gaps, keep, seed):
    """Which of a file's data rows survive: outages of 36 rows and single losses, never a row in keep."""
    r = random.Random(seed)
    lost = set()
    for _ in range(gaps):
        start = r.randrange(0, max(1, count - 36))
        lost.update(range(start, start + 36))
    lost.update(i for i in range(count) if r.random() < drop)
    return [i for i in range(count) if i not in lost or i in keep]


def moved(stamp, shift):
    # window bounds carry NAB's fractional seconds ("2014-04-10 07:15:00.000000"); keep what follows the seconds
    head, tail = stamp[:19], stamp[19:]
    return (datetime.datetime.strptime(head, FORMAT) + shift).strftime(FORMAT) + tail


def number(v):
    return str(int(v)) if float(v).is_integer() else repr(v)


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    src, dest, spec = sys.argv[1:]
    scale, offset, shift, drop, gaps = parse(spec)
    with open(f'{src}/labels/combined_windows.json') as f:
        windows = json.load(f)
    for category in sorted(os.listdir(f'{src}/data')):
        os.makedirs(f'{dest}/data/{category}', exist_ok=True)
        for name in sorted(os.listdir(f'{src}/data/{category}')):
            with open(f'{src}/data/{category}/{name}') as f, \
                    open(f'{dest}/data/{category}/{name}', 'w', newline='') as g:
                rows = csv.reader(f)
                out = csv.writer(g, lineterminator='\n')
                out.writerow(next(rows))
                rows = list(rows)
                bounds = {b[:19] for w in windows.get(f'{category}/{name}', []) for b in w}
                keep = {i for i, (stamp, _) in enumerate(rows) if stamp[:19] in bounds}
                for i in kept_rows(len(rows), drop, gaps, keep, f'{category}/{name}'):
                    stamp, value = rows[i]
                    out.writerow([moved(stamp, shift), number(scale * float(value) + offset)])
    os.makedirs(f'{dest}/labels', exist_ok=True)
    with open(f'{dest}/labels/combined_windows.json', 'w') as f:
        json.dump({k: [[moved(a, shift), moved(b, shift)] for a, b in v] for k, v in windows.items()}, f, indent=1)


if __name__ == '__main__':
    main()
