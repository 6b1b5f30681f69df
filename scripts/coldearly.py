#!/usr/bin/env python3
"""Early-window corpus for the cold-start question (issue 13).

  coldearly.py build SRC DST     crop each anomalous series of a `vigil synth` corpus SRC so that its first
                                 anomaly starts at a row in [150, 600) (spread deterministically by file), i.e.
                                 early in the key's life, while it waits for its own model (first one after
                                 minTrainPoints + swapDelayEvents = 316 readings by default); windows are clipped
                                 to the cropped file, anomalies.json rows shifted; quiet series are kept whole.
  coldearly.py early RESULTS DST [THRESHOLD]
                                 early figures of an evaluation of DST: anomalies starting before row 600 and
                                 caught (a score >= threshold from the onset to the end of its window), and
                                 false alarms (rising edges outside every window) in rows [120, 600), which the
                                 evaluator's table leaves out (probation).
"""
import csv
import json
import os
import sys

EARLY = 600
WARMUP = 120


def build(src, dst):
    anomalies = json.load(open(os.path.join(src, 'labels', 'anomalies.json')))
    windows = json.load(open(os.path.join(src, 'labels', 'combined_windows.json')))
    out_anomalies, out_windows = {}, {}
    files = sorted(windows)
    for n, f in enumerate(files):
        rows = list(csv.reader(open(os.path.join(src, 'data', f))))
        header, body = rows[0], rows[1:]
        mine = anomalies.get(f, [])
        offset = 0
        if mine:
            target = 150 + (n * 97) % 450
            offset = max(0, min(a['start'] for a in mine) - target)
        body = body[offset:]
        os.makedirs(os.path.dirname(os.path.join(dst, 'data', f)), exist_ok=True)
        with open(os.path.join(dst, 'data', f), 'w', newline='') as out:
            w = csv.writer(out, lineterminator='\n')
            w.writerow(header)
            w.writerows(body)
        first = body[0][0] + '.000000' if len(body[0][0]) == 19 else body[0][0]
        out_windows[f] = [[max(a, first), b] for a, b in windows[f] if b >= first]
        out_anomalies[f] = [dict(a, start=a['start'] - offset, end=a['end'] - offset) for a in mine
                            if a['start'] - offset >= 0]
    os.makedirs(os.path.join(dst, 'labels'), exist_ok=True)
    json.dump(out_windows, open(os.path.join(dst, 'labels', 'combined_windows.json'), 'w'), indent=1)
    json.dump(out_anomalies, open(os.path.join(dst, 'labels', 'anomalies.json'), 'w'), indent=1)


def early(results, dst, threshold=0.5):
    anomalies = json.load(open(os.path.join(dst, 'labels', 'anomalies.json')))
    n_early = caught = false_alarms = rows_counted = 0
    delays = []
    for f, mine in sorted(anomalies.items()):
        cat, name = f.split('/')
        path = os.path.join(results, cat, 'vigil_' + name)
        data = list(csv.DictReader(open(path)))
        score = [float(r['anomaly_score']) for r in data]
        label = [int(r['label']) for r in data]
        for a in mine:
            if a['start'] >= EARLY:
                continue
            n_early += 1
            i = a['start']
            while i < len(score) and label[i] == 1:
                if score[i] >= threshold:
                    caught += 1
                    delays.append(i - a['start'])
                    break
                i += 1
        for i in range(WARMUP, min(EARLY, len(score))):
            if label[i] == 1:
                continue
            rows_counted += 1
            if score[i] >= threshold and score[i - 1] < threshold:
                false_alarms += 1
    delays.sort()
    median = delays[len(delays) // 2] if delays else float('nan')
    print(f'early anomalies={n_early} caught={caught} median_delay={median} '
          f'false_alarms={false_alarms} rows={rows_counted} per_10k={1e4 * false_alarms / max(1, rows_counted):.2f}')


if __name__ == '__main__':
    if sys.argv[1] == 'build':
        build(sys.argv[2], sys.argv[3])
    else:
        early(sys.argv[2], sys.argv[3], float(sys.argv[4]) if len(sys.argv) > 4 else 0.5)
