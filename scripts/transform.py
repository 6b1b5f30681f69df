#!/usr/bin/env python3
"""Writes a copy of a NAB-layout corpus with every series converted, for the invariance audit of
docs/detection-quality.md: the detector should score a series the same in other units or another time zone.

  python3 scripts/transform.py SRC DEST scale=A,offset=B     # each reading v becomes A*v + B
  python3 scripts/transform.py SRC DEST shift=H              # each timestamp (and window bound) moves H hours

SRC and DEST hold data/<category>/<file>.csv and labels/combined_windows.json. Then, e.g.:
  java -jar target/vigil.jar evaluate --data DEST/data --labels DEST/labels/combined_windows.json \\
      --folds ../shared/nab/folds.json --fold a --seeds 1-5 --out /tmp/ev-dest
"""
import csv
import datetime
import json
import os
import sys

FORMAT = '%Y-%m-%d %H:%M:%S'


def parse(spec):
    args = dict(part.split('=') for part in spec.split(','))
    scale, offset = float(args.get('scale', 1)), float(args.get('offset', 0))
    hours = float(args.get('shift', 0))
    unknown = set(args) - {'scale', 'offset', 'shift'}
    if unknown:
        sys.exit(f'unknown transform {", ".join(sorted(unknown))}: use scale, offset, shift')
    return scale, offset, datetime.timedelta(hours=hours)


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
    scale, offset, shift = parse(spec)
    for category in sorted(os.listdir(f'{src}/data')):
        os.makedirs(f'{dest}/data/{category}', exist_ok=True)
        for name in sorted(os.listdir(f'{src}/data/{category}')):
            with open(f'{src}/data/{category}/{name}') as f, \
                    open(f'{dest}/data/{category}/{name}', 'w', newline='') as g:
                rows = csv.reader(f)
                out = csv.writer(g)
                out.writerow(next(rows))
                for stamp, value in rows:
                    out.writerow([moved(stamp, shift), number(scale * float(value) + offset)])
    with open(f'{src}/labels/combined_windows.json') as f:
        windows = json.load(f)
    os.makedirs(f'{dest}/labels', exist_ok=True)
    with open(f'{dest}/labels/combined_windows.json', 'w') as f:
        json.dump({k: [[moved(a, shift), moved(b, shift)] for a, b in v] for k, v in windows.items()}, f, indent=1)


if __name__ == '__main__':
    main()
