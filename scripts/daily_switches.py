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
00:00 to 01:00 UTC). With --batch-break, the same four jobs, two noise seeds each, with one break of the
schedule each on day 25: a run missing, an extra run half-way between two, a run three times as long, a run at half
height (32 sensors, each with its anomaly in labels/anomalies.json and a 100-row window from its start, for
`evaluate` to print what it caught).
With --idle, five sensors of machines that idle at a constant reading (40 days from 1
February 2021, UTC): a piece counter (about 30 a reading) at 0 from 22:00 to 06:00, a vibration sensor at 0.0 over
the same hours, a counter (about 50) at 0 from 19:00 to 07:00 and all weekend, a power meter at exactly 1.5 from 22:00
to 06:00, and a counter (about 20) at 0 from 20:00 to 06:00 and over the lunch hour; --idle-freeze writes the same
sensors with one anomaly each, a freeze at the working reading of 09:00 on 3 March for six hours (72 readings; its
window runs 100 readings from there, and labels/anomalies.json names it, so that `evaluate` prints its catches);
--idle-stop holds the same six hours at each sensor's idle reading instead (a machine stopped in working hours).
With --trend, five outdoor temperature sensors (40 days from 1 February 2021, UTC): a daily cycle of +-4 around
5, an autocorrelated wander (sd about 0.5) and noise (sd 0.2), level (flat, flat_b), rising by 8 over the 40 days
(rising8, rising8_b) or by 16 (rising16). With --meter, an energy meter over 40 days: its cumulative total in kWh
(total: every reading a new high, and now and then at night a reading that does not advance), the same readings
as the energy used in each five minutes (rate), the total read at intervals of 5 minutes +-50% (total_jitter) and the
total with an outage of 1 to 12 hours every five days (total_gaps): evaluate these with --counter. With --gaps, six sensors (flat and flat_b of --trend, the first 40 days
of the four default ones) each also with outages (name_gaps): every five days, from the third, 1 to 12 hours of
readings missing. Otherwise no anomalies: every alert is a false one. The windows file holds one window over each file's
last 40 rows only so that `vigil evaluate` scores the corpus and prints its false alarms (outside the windows) by
what opened them:

  python3 scripts/daily_switches.py /tmp/switches      # or --batch, --batch-break, --idle, --idle-freeze,
                                                       # --idle-stop, --trend,
                                                       # --meter, --gaps DIR
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


BREAKS = ['missing', 'extra', 'long', 'low']


def batch_breaks():
    """The --batch-break sensors: (name, rows, (start, end, what)), one break of a --batch job's schedule each."""
    start = datetime.datetime(2021, 2, 1)
    n = 288 * 40
    for seed in (1, 2):
        for k, (kind, period, width, height) in enumerate(BATCH):
            for b, brk in enumerate(BREAKS):
                r = random.Random(1000 * seed + 10 * k + b)
                on = [i % period < width for i in range(n)]
                size = [height] * n
                first = (288 * 25 // period) * period + period
                at = first + period // 2 if brk == 'extra' else first
                end = min(first + 3 * width - 1, first + period - 1 + width) if brk == 'long' else at + width - 1
                for i in range(at, end + 1):
                    on[i] = brk != 'missing'
                    size[i] = height / 2 if brk == 'low' else height
                rows = []
                wander = 0.0
                for i in range(n):
                    wander = 0.95 * wander + 0.2 * r.gauss(0, 1)
                    value = 10 + wander + r.gauss(0, 1) + (size[i] if on[i] else 0)
                    rows.append(((start + i * STEP).strftime('%Y-%m-%d %H:%M:%S'), round(value, 3)))
                yield f'{kind}_{brk}_{seed}', rows, (at, end, f'{brk} run')


FREEZE_AT = '2021-03-03 09:00:00'
FREEZE_ROWS = 72
IDLE = ['counter_night', 'vibration_night', 'counter_weekend', 'power_standby', 'counter_lunch']


def idle_reading(kind, t, r, wander):
    """A reading of an --idle sensor at time t: its constant while the machine idles, else its activity."""
    hour = t.hour + t.minute / 60
    if kind == 'counter_night':
        return 0 if hour < 6 or hour >= 22 else max(0, round(r.gauss(30, 6) + 3 * wander))
    if kind == 'vibration_night':
        return 0.0 if hour < 6 or hour >= 22 else round(2.0 + 0.3 * r.gauss(0, 1) + 0.2 * wander, 3)
    if kind == 'counter_weekend':
        return 0 if t.weekday() >= 5 or hour < 7 or hour >= 19 else max(0, round(r.gauss(50, 8) + 3 * wander))
    if kind == 'power_standby':
        return 1.5 if hour < 6 or hour >= 22 else round(40 + 5 * r.gauss(0, 1) + 2 * wander, 2)
    return 0 if 12 <= hour < 13 or hour < 6 or hour >= 20 else max(0, round(r.gauss(20, 5) + 2 * wander))


def idle_machines():
    """The --idle sensors: (name, rows) for each."""
    start = datetime.datetime(2021, 2, 1)
    for seed, kind in enumerate(IDLE):
        r = random.Random(7 + seed)
        rows = []
        wander = 0.0
        for i in range(288 * 40):
            t = start + i * STEP
            wander = 0.95 * wander + 0.2 * r.gauss(0, 1)
            rows.append((t.strftime('%Y-%m-%d %H:%M:%S'), idle_reading(kind, t, r, wander)))
        yield kind, rows


TREND = [('flat', 0, 1), ('flat_b', 0, 2), ('rising8', 8, 1), ('rising8_b', 8, 2), ('rising16', 16, 1)]


def trending():
    """The --trend sensors: (name, rows) for each."""
    start = datetime.datetime(2021, 2, 1)
    n = 288 * 40
    for kind, rise, seed in TREND:
        r = random.Random(seed)
        rows = []
        wander = 0.0
        for i in range(n):
            t = start + i * STEP
            hour = t.hour + t.minute / 60
            wander = 0.98 * wander + 0.1 * r.gauss(0, 1)
            value = 5 + rise * i / n + 4 * math.sin(2 * math.pi * (hour - 9) / 24) + wander + 0.2 * r.gauss(0, 1)
            rows.append((t.strftime('%Y-%m-%d %H:%M:%S'), round(value, 2)))
        yield kind, rows


def meter():
    """The --meter sensors: the cumulative total and its increase each five minutes; the total read at intervals of 5
    minutes +-50% (total_jitter), and the total with an outage of 1 to 12 hours every five days (total_gaps)."""
    start = datetime.datetime(2021, 2, 1)
    r = random.Random(1)
    total = 1000.0
    totals = []
    for i in range(288 * 40):
        t = start + i * STEP
        hour = t.hour + t.minute / 60
        load = 2 + 1.5 * math.sin(2 * math.pi * (hour - 8) / 24) + 0.3 * r.gauss(0, 1)
        total += max(0.0, load) / 12
        totals.append((t.strftime('%Y-%m-%d %H:%M:%S'), round(total, 2)))
    yield 'total', totals
    yield 'rate', [(b[0], round(b[1] - a[1], 2)) for a, b in zip(totals, totals[1:])]
    jitter = random.Random(99)
    total = 1000.0
    t = start
    jittered = []
    for i in range(288 * 40):
        seconds = 300 * (1 + 0.5 * (2 * jitter.random() - 1))
        t += datetime.timedelta(seconds=seconds)
        hour = t.hour + t.minute / 60
        load = 2 + 1.5 * math.sin(2 * math.pi * (hour - 8) / 24) + 0.3 * r.gauss(0, 1)
        total += max(0.0, load) / 12 * seconds / 300
        jittered.append((t.strftime('%Y-%m-%d %H:%M:%S'), round(total, 2)))
    yield 'total_jitter', jittered
    yield 'total_gaps', with_outages(totals, random.Random(5))


def with_outages(rows, r):
    """rows less an outage of 1 to 12 hours every five days, from the third."""
    kept = []
    i = 0
    while i < len(rows):
        kept.append(rows[i])
        i += 1
        if i > 600 and i % (288 * 5) == 288 * 3:
            i += r.randint(12, 144)
    return kept


def outages():
    """The --gaps sensors: each of six normal sensors as it is and with outages (name_gaps)."""
    sensors = list(trending())[:2] + [(kind, rows[:288 * 40]) for kind, rows in switches()]
    for seed, (kind, rows) in enumerate(sensors):
        yield kind, rows
        yield kind + '_gaps', with_outages(rows, random.Random(300 + seed))


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
    modes = ('--batch', '--batch-break', '--idle', '--idle-freeze', '--idle-stop', '--trend', '--meter', '--gaps')
    mode = args[0] if args[:1] and args[0] in modes else None
    if mode:
        args = args[1:]
    if len(args) != 1:
        sys.exit(__doc__)
    out = args[0]
    os.makedirs(f'{out}/data/g', exist_ok=True)
    os.makedirs(f'{out}/labels', exist_ok=True)
    windows = {}
    idling = ('--idle', '--idle-freeze', '--idle-stop')
    sensors = batch_jobs() if mode == '--batch' else idle_machines() if mode in idling \
        else trending() if mode == '--trend' else meter() if mode == '--meter' else outages() if mode == '--gaps' \
        else ((kind, rows) for kind, rows, _ in batch_breaks()) if mode == '--batch-break' else switches()
    breaks = {kind: brk for kind, _, brk in batch_breaks()} if mode == '--batch-break' else {}
    anomalies = {}
    for kind, rows in sensors:
        window = [rows[-40][0], rows[-1][0]]
        if kind in breaks:
            at, end, what = breaks[kind]
            window = [rows[at][0], rows[at + 100][0]]
            anomalies[f'g/{kind}.csv'] = [{'kind': 'contextual', 'start': at, 'end': end, 'detail': what}]
        if mode in ('--idle-freeze', '--idle-stop'):
            at = next(i for i, (stamp, _) in enumerate(rows) if stamp == FREEZE_AT)
            held = rows[at][1] if mode == '--idle-freeze' else rows[0][1]
            rows[at:at + FREEZE_ROWS] = [(stamp, held) for stamp, _ in rows[at:at + FREEZE_ROWS]]
            window = [rows[at][0], rows[at + 100][0]]
            what = f'the reading of {FREEZE_AT}' if mode == '--idle-freeze' else f'the idle reading from {FREEZE_AT}'
            anomalies[f'g/{kind}.csv'] = [{'kind': 'frozen', 'start': at, 'end': at + FREEZE_ROWS - 1,
                                           'detail': f'{what} held for {FREEZE_ROWS} rows'}]
        with open(f'{out}/data/g/{kind}.csv', 'w') as f:
            f.write('timestamp,value\n')
            f.writelines(f'{stamp},{value}\n' for stamp, value in rows)
        windows[f'g/{kind}.csv'] = [[stamp + '.000000' for stamp in window]]
    with open(f'{out}/labels/combined_windows.json', 'w') as f:
        json.dump(windows, f, indent=1)
    if anomalies:
        with open(f'{out}/labels/anomalies.json', 'w') as f:
            json.dump(anomalies, f, indent=1)


if __name__ == '__main__':
    main()
