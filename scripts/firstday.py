#!/usr/bin/env python3
"""Alerts by a key's age: what a user sees in a sensor's first day, which NAB's probation hides.

  firstday.py RESULTS [RESULTS ...] [--threshold T]

RESULTS: an `evaluate --out` folder's detector folder (e.g. /tmp/ev/vigil), holding <category>/<detector>_<file>.csv
with `timestamp` and `anomaly_score` columns. Counts alert openings (rising edges of the score at the threshold, 0.5
by default) by the key's age in event time, its first row's timestamp being its birth: under one day, one to two
days, later; and the keys that open one in their first day.
"""
import csv
import datetime
import glob
import os
import sys


def parse(ts):
    return datetime.datetime.fromisoformat(ts.split('.')[0])


def count(results, threshold):
    buckets = [0, 0, 0]
    keys = 0
    files = sorted(glob.glob(os.path.join(results, '*', '*.csv')))
    for path in files:
        rows = list(csv.DictReader(open(path)))
        if not rows:
            continue
        born = parse(rows[0]['timestamp'])
        previous = 0.0
        first_day = False
        for row in rows:
            score = float(row['anomaly_score'])
            if score >= threshold > previous:
                age = (parse(row['timestamp']) - born).total_seconds() / 86400
                bucket = 0 if age < 1 else 1 if age < 2 else 2
                buckets[bucket] += 1
                first_day |= bucket == 0
            previous = score
        keys += first_day
    print(f'{results}: {len(files)} keys; alert openings by age < 1 day {buckets[0]}, 1-2 days {buckets[1]}, '
          f'later {buckets[2]}; keys alerting in their first day {keys}')


if __name__ == '__main__':
    args = sys.argv[1:]
    threshold = 0.5
    if '--threshold' in args:
        i = args.index('--threshold')
        threshold = float(args[i + 1])
        del args[i:i + 2]
    if not args:
        sys.exit(__doc__)
    for folder in args:
        count(folder, threshold)
