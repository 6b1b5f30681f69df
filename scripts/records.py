#!/usr/bin/env python3
"""Where the range rule's records are: inside or outside the labelled windows (issue 11).

  records.py CORPUS RESULTS [CORPUS RESULTS ...]

CORPUS is a directory in NAB's layout (data/, labels/combined_windows.json: `../shared/nab` or a `vigil synth` corpus),
RESULTS the --out directory of `vigil evaluate` on it (its vigil/<category>/vigil_<file>.csv). After each file's
probation (15% of its rows, at most 750, as NAB), a *record* is a reading beyond the range of the readings before it
by more than 5% of that range (the range rule at the default scoring.spatialTolerance). Prints, per corpus list:

- rows outside windows, records among them, and rising edges of the score through 0.5 there (false alarms) with how
  many fell on a record;
- of the windows' first crossings and the false alarms that fell on a record, how many the next reading confirmed
  (also beyond the old range by the tolerance) and how many went straight back inside it (a one-reading excursion).
"""
import bisect
import collections
import csv
import json
import os
import sys

THRESHOLD = 0.5
TOLERANCE = 0.05


def series(corpus, results):
    windows = json.load(open(os.path.join(corpus, 'labels', 'combined_windows.json')))
    for name, spans in sorted(windows.items()):
        category, file = name.split('/')
        path = os.path.join(results, 'vigil', category, 'vigil_' + file)
        if not os.path.exists(path):
            continue  # not in this evaluation (another fold)
        rows = list(csv.DictReader(open(path)))
        stamps = [r['timestamp'][:19] for r in rows]
        rows_of = [(bisect.bisect_left(stamps, a[:19]), bisect.bisect_right(stamps, b[:19]) - 1) for a, b in spans]
        yield ([float(r['value']) for r in rows], [float(r['anomaly_score']) for r in rows], rows_of)


def tally(pairs):
    t = collections.Counter()
    for corpus, results in pairs:
        for values, scores, spans in series(corpus, results):
            n = len(values)
            probation = min(750, int(0.15 * n))
            first = set()
            for a, b in spans:
                j = next((i for i in range(max(a, 0), min(b + 1, n)) if scores[i] >= THRESHOLD), None)
                if j is not None:
                    first.add(j)
            lo = hi = values[0]
            for i in range(1, n):
                margin = TOLERANCE * (hi - lo)
                up, down = values[i] > hi + margin, values[i] < lo - margin
                inside = any(a <= i <= b for a, b in spans)
                edge = scores[i] >= THRESHOLD > scores[i - 1]
                if i >= probation:
                    if not inside:
                        t['rows outside windows'] += 1
                        t['records outside windows'] += up or down
                        t['false alarms'] += edge
                        t['false alarms on a record'] += edge and (up or down)
                    if (up or down) and ((edge and not inside) or i in first):
                        confirmed = i + 1 < n and (values[i + 1] > hi + margin if up else values[i + 1] < lo - margin)
                        where = 'window first crossed' if inside else 'false alarm'
                        t[where + ' on a record, confirmed next reading' if confirmed
                          else where + ' on a record, back in range next reading'] += 1
                lo, hi = min(lo, values[i]), max(hi, values[i])
    return t


def main(args):
    if len(args) < 2 or len(args) % 2:
        sys.exit(__doc__)
    t = tally(zip(args[0::2], args[1::2]))
    per = 1e4 / max(1, t['rows outside windows'])
    for k in sorted(t):
        print(f'{k:60s} {t[k]:8d}')
    print(f"per 10,000 rows outside windows: records {t['records outside windows'] * per:.2f}, "
          f"false alarms {t['false alarms'] * per:.2f} (on a record {t['false alarms on a record'] * per:.2f})")


if __name__ == '__main__':
    main(sys.argv[1:])
