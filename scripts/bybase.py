#!/usr/bin/env python3
"""Catches and false alarms by base (the corpus's folders), pooled over several synthetic corpora.

  bybase.py THRESHOLD RESULTS:CORPUS [RESULTS:CORPUS ...]

RESULTS is an `evaluate --out` directory, CORPUS the `synth --out` directory it scored. An anomaly is caught when a
score reaches THRESHOLD from its onset to the end of the window holding it; a false alarm is a rising edge through
THRESHOLD on a row outside every window after NAB's probation (the first 15% of a file), per 10,000 such rows: the
definitions `evaluate` prints per corpus, summed over the corpora before dividing.
"""
import collections
import csv
import json
import sys


def main(argv):
    threshold = float(argv[0])
    tally = collections.defaultdict(lambda: [0, 0, 0, 0])  # anomalies, caught, false alarms, counted rows
    for pair in argv[1:]:
        results, corpus = pair.split(':')
        windows = json.load(open(f'{corpus}/labels/combined_windows.json'))
        anomalies = json.load(open(f'{corpus}/labels/anomalies.json'))
        for name, spans in windows.items():
            base, file = name.split('/')
            rows = list(csv.DictReader(open(f'{results}/vigil/{base}/vigil_{file}')))
            scores = [float(r['anomaly_score']) for r in rows]
            row_of = {r['timestamp']: i for i, r in enumerate(rows)}
            ranges = [(row_of[a.split('.')[0]], row_of[b.split('.')[0]]) for a, b in spans]
            t = tally[base]
            probation = int(0.15 * len(scores))
            previous = 0.0
            for i, score in enumerate(scores):
                if i >= probation and not any(a <= i <= b for a, b in ranges):
                    t[3] += 1
                    if score >= threshold > previous:
                        t[2] += 1
                previous = score
            for anomaly in anomalies.get(name, []):
                start = anomaly['start']
                end = next((b for a, b in ranges if a <= start <= b), anomaly['end'])
                t[0] += 1
                if any(scores[i] >= threshold for i in range(start, end + 1)):
                    t[1] += 1
    total = [0, 0, 0, 0]
    print(f'{"base":12s} {"caught":>9s} {"false alarms / 10k":>19s}')
    for base in sorted(tally):
        a, k, f, n = tally[base]
        total = [x + y for x, y in zip(total, tally[base])]
        print(f'{base:12s} {k:4d} / {a:<4d}{1e4 * f / n:19.2f}')
    a, k, f, n = total
    print(f'{"all":12s} {k:4d} / {a:<4d}{1e4 * f / n:19.2f}')


if __name__ == '__main__':
    main(sys.argv[1:])
