#!/usr/bin/env python3
"""Writes four normal sensors with sharp daily switches in local time (Europe/Berlin, through the change to summer
time on 28 March 2021), five-minute readings in UTC from 1 February to 30 April 2021, for docs/tuning.md:

  office            20, or 50 on weekdays 08:00-18:00 local
  office_noweekend  20, or 50 every day 08:00-18:00 local
  shop              10, 35 from 09:00 to 20:00 Monday to Saturday, 10 more over lunch
  sine              a smooth daily cycle of +-20 around 50

each with noise (sd 2) and an autocorrelated wander (sd about 1). With --batch, four sensors of batch jobs
instead: a level of 10 (noise sd 1, wander sd about 0.6, 40 days from 1 February 2021 UTC) with a burst every hour
(+30 for 3 readings), every six hours (+25 for 6), every 90 minutes (+20 for 2) and every night (a backup: +40 from
00:00 to 01:00 UTC). No anomalies: every alert is a false one. The windows file holds one window over each file's
last 40 rows only so that `vigil evaluate` scores the corpus and prints its false alarms (outside the windows) by
what opened them:

  python3 scripts/daily_switches.py /tmp/switches            # or: --batch /tmp/batch
  java -jar target/vigil.jar evaluate --data /tmp/switches/data --labels /tmp/switches/labels/combined_windows.json \\
      --out /tmp/ev-switches --seeds 1-3
"""
import datetime
import json
import math
import os
import random
import sys
import zoneinfo

ZONE = zoneinfo.ZoneInfo('Europe/Berlin')
START = datetime.datetime(2021, 2, 1, tzinfo=datetime.timezone.utc)
END = datetime.datetime(2021, 4, 30, tzinfo=datetime.timezone.utc)
STEP = datetime.timedelta(minutes=5)


def reading(kind, local, noise, wander):
    hour = local.hour + local.minute / 60
    weekday = local.weekday()
    if kind == 'office':
        usual = 20 + (30 if weekday < 5 and 8 <= hour < 18 else 0)
    elif kind == 'office_noweekend':
        usual = 20 + (30 if 8 <= hour < 18 else 0)
    elif kind == 'shop':
        usual = 10 + (25 if 9 <= hour < 20 and weekday < 6 else 0) + (10 if 12 <= hour < 14 else 0)
    else:
        usual = 50 + 20 * math.sin(2 * math.pi * (hour - 9) / 24)
    return usual + noise + wander


BATCH = [('hourly', 12, 3, 30), ('sixhourly', 72, 6, 25), ('ninety', 18, 2, 20), ('daily_backup', 288, 12, 40)]


def batch_jobs():
    """The --batch sensors: (name, rows) for each, a burst of `height` for `width` rows every `period` rows."""
    start = datetime.datetime(2021, 2, 1)
    for seed, (kind, period, width, height) in enumerate(BATCH):
        r = random.Random(100 + seed)
        rows = []
        wander = 0.0
        for i in range(288 * 40):
            wander = 0.95 * wander + 0.2 * r.gauss(0, 1)
            value = 10 + wander + r.gauss(0, 1) + (height if i % period < width else 0)
            rows.append(((start + i * STEP).strftime('%Y-%m-%d %H:%M:%S'), round(value, 3)))
        yield kind, rows


def switches():
    """The default sensors: (name, rows) for each."""
    for seed, kind in enumerate(['office', 'sine', 'office_noweekend', 'shop']):
        r = random.Random(seed)
        rows = []
        wander = 0.0
        t = START
        while t < END:
            wander = 0.95 * wander + 0.3 * r.gauss(0, 1)
            value = reading(kind, t.astimezone(ZONE), 2 * r.gauss(0, 1), wander)
            rows.append((t.strftime('%Y-%m-%d %H:%M:%S'), round(value, 3)))
            t += STEP
        yield kind, rows


def main():
    args = sys.argv[1:]
    batch = args[:1] == ['--batch']
    if batch:
        args = args[1:]
    if len(args) != 1:
        sys.exit(__doc__)
    out = args[0]
    os.makedirs(f'{out}/data/g', exist_ok=True)
    os.makedirs(f'{out}/labels', exist_ok=True)
    windows = {}
    for kind, rows in (batch_jobs() if batch else switches()):
        with open(f'{out}/data/g/{kind}.csv', 'w') as f:
            f.write('timestamp,value\n')
            f.writelines(f'{stamp},{value}\n' for stamp, value in rows)
        windows[f'g/{kind}.csv'] = [[rows[-40][0] + '.000000', rows[-1][0] + '.000000']]
    with open(f'{out}/labels/combined_windows.json', 'w') as f:
        json.dump(windows, f, indent=1)


if __name__ == '__main__':
    main()
