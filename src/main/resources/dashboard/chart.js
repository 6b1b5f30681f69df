// The sensor view: one uPlot chart per channel of a key's history window (readings, predictions, the reading usual at
// that time of day once the key's profile is in use, the anomaly score and the alert threshold on a second axis),
// alert spans and model-version marks, following the key live.
'use strict';

const SERIES_COLORS = { reading: '#1d4ed8', prediction: '#d97706', score: '#dc2626', threshold: '#7f1d1d',
  usual: '#6b7280' };
const DAY_MS = 86400000;
const SPAN_FILL = 'rgba(220, 38, 38, 0.14)';
const MARK_COLOR = '#059669';
const POLL_MS = 1000;

/**
 * The key's model for its summary: the version in force and, for that version as stored, whose it is, the readings it
 * was trained on, its validation loss and whether it times a schedule (reads the day's harmonics); a stored version not
 * yet in force is named.
 */
function modelText(now) {
  const m = now.model;
  if (!now.modelVersion) return m ? 'no model yet (v' + m.version + ' stored)' : 'no model yet';
  if (!m) return 'model v' + now.modelVersion;
  if (m.version !== now.modelVersion) return 'model v' + now.modelVersion + ' (v' + m.version + ' stored, next)';
  const loss = m.validationLoss === null ? '' : ', validation loss ' + m.validationLoss.toPrecision(3);
  const timed = m.dayHarmonics > 1 ? ', timing a schedule' : '';
  return 'model v' + m.version + ' (' + (m.shared ? 'shared' : 'own') + ', ' + m.readings + ' readings' + loss + timed
      + ')';
}

/**
 * Whether the rhythm signal judges the key (/sensors rhythmJudged: a boolean, or one per channel), for the summary;
 * null while the signal is off.
 */
function rhythmText(now) {
  const j = now.rhythmJudged;
  if (j === null || j === undefined) return null;
  if (typeof j === 'boolean') return j ? 'daily rhythm judged' : 'daily rhythm not judged';
  const on = Object.keys(j).filter((c) => j[c]);
  return on.length ? 'daily rhythm judged on ' + on.join(', ') : 'daily rhythm not judged';
}

/**
 * What a count key has learnt of its bursts (/sensors countDispersion: φ, or one per channel, null for a channel that
 * does not count), for the summary; null for a key that keeps none.
 */
function dispersionText(now) {
  const d = now.countDispersion;
  if (d === null || d === undefined) return null;
  if (typeof d === 'number') return 'counts, over-dispersion ' + d.toFixed(2);
  const counted = Object.keys(d).filter((c) => d[c] !== null).map((c) => c + ' ' + d[c].toFixed(2));
  return counted.length ? 'counts, over-dispersion ' + counted.join(', ') : null;
}

class SensorView {
  constructor(key, topology, at) {
    this.key = key;
    this.topology = topology;
    this.at = at;
    this.plots = [];
    this.timer = null;
    this.stopped = false;
    this.spans = [];
    this.marks = [];
  }

  path(prefix, suffix) {
    return prefix + encodeURIComponent(this.key) + (suffix || '') + '?topology='
      + encodeURIComponent(this.topology.name);
  }

  async start() {
    $('sensor-title').textContent = this.key;
    $('forget').hidden = true;
    for (const id of ['charts', 'spans', 'marks']) $(id).replaceChildren();
    $('sensor-summary').textContent = 'loading…';
    let history, series, now;
    try {
      [history, series, now] = await Promise.all([getJson(this.path('sensors/', '/history')),
        getJson(this.path('api/series/')), getJson(this.path('sensors/'))]);
    } catch (e) {
      $('sensor-summary').textContent = e.status === 404 ? 'No key ' + this.key + ' in topology ' + this.topology.name
        : 'cannot read ' + this.key + ': ' + e.message;
      return;
    }
    if (this.stopped) return;
    this.capacity = history.capacity;
    this.threshold = series.threshold;
    this.channels = Object.keys(history.values);
    this.reset(history);
    this.merge(series);
    this.summary(now);
    this.draw();
    if (this.topology.forget) {
      $('forget').hidden = false;
      $('forget').disabled = false;
      $('forget').onclick = () => this.forget();
    }
    if (this.at !== null) this.zoomTo(this.at);
    this.timer = setInterval(() => this.poll(), POLL_MS);
  }

  stop() {
    this.stopped = true;
    $('forget').hidden = true;
    $('forget').onclick = null;
    clearInterval(this.timer);
    for (const p of this.plots) p.destroy();
    this.plots = [];
  }

  /** Columns from the stored history window: readings; predictions, scores and versions come from the feed. */
  reset(history) {
    this.ts = history.timestamps.slice();
    this.values = this.channels.map((c) => history.values[c].slice());
    this.predictions = this.channels.map(() => new Array(this.ts.length).fill(null));
    this.scores = new Array(this.ts.length).fill(null);
    this.versions = new Array(this.ts.length).fill(null);
    this.alerts = [];
    this.reindex();
  }

  reindex() {
    this.index = new Map();
    this.ts.forEach((x, i) => this.index.set(x, i));
  }

  /** Adds the feed's score records (new ones append) and alert records; keeps at most the window's capacity. */
  merge(series) {
    for (let i = 0; i < series.timestamps.length; i++) {
      const x = series.timestamps[i];
      let j = this.index.get(x);
      if (j === undefined) {
        if (this.ts.length && x < this.ts[this.ts.length - 1]) continue;
        j = this.ts.length;
        this.ts.push(x);
        this.index.set(x, j);
        this.channels.forEach((c, ci) => {
          this.values[ci].push(series.values[c] ? series.values[c][i] : null);
          this.predictions[ci].push(null);
        });
        this.scores.push(null);
        this.versions.push(null);
      }
      this.channels.forEach((c, ci) => {
        if (series.predictions[c]) this.predictions[ci][j] = series.predictions[c][i];
      });
      this.scores[j] = series.scores[i];
      this.versions[j] = series.modelVersions[i];
    }
    const excess = this.ts.length - this.capacity;
    if (excess > 0) {
      for (const column of [this.ts, this.scores, this.versions, ...this.values, ...this.predictions]) {
        column.splice(0, excess);
      }
      this.reindex();
    }
    for (const a of series.alerts) {
      if (!this.alerts.some((b) => b.ts === a.ts && b.type === a.type)) this.alerts.push(a);
    }
    this.alerts.sort((a, b) => a.ts - b.ts);
    this.spans = this.alertSpans();
    this.marks = this.modelMarks();
  }

  /**
   * [from, to] of every alert: opened to the next closed record, or to the next opened one (a range or stuck-sensor
   * rule opening its own alert during another's), or to the last point while still open.
   */
  alertSpans() {
    const spans = [];
    let open = null;
    for (const a of this.alerts) {
      if (open !== null && (a.type === 'opened' || a.type === 'closed')) {
        spans.push({ from: open.ts, to: a.ts, reason: open.reason, detail: open.detail, closed: true });
        open = null;
      }
      if (a.type === 'opened') open = a;
    }
    if (open !== null) {
      spans.push({ from: open.ts, to: this.ts[this.ts.length - 1], reason: open.reason, detail: open.detail,
        closed: false });
    }
    return spans;
  }

  /** Where the model version of the score records changed. */
  modelMarks() {
    const marks = [];
    let previous = null;
    this.ts.forEach((x, i) => {
      const v = this.versions[i];
      if (v === null) return;
      if (previous !== null && v !== previous) marks.push({ ts: x, version: v });
      previous = v;
    });
    return marks;
  }

  /**
   * Asks the service, once the user confirms, to forget this key (DELETE /sensors/{key}, waiting up to 10 s for it to
   * be carried out in order with the key's events), then shows the fleet; says so when it is still pending.
   */
  async forget() {
    const question = 'Forget ' + this.key + ' in topology ' + this.topology.name + '?\n\nIts state, history and'
      + ' model are deleted and an open alert is closed. If the sensor sends again, it starts afresh in warm-up.';
    if (!window.confirm(question)) return;
    const button = $('forget');
    button.disabled = true;
    clearInterval(this.timer); // no poll of a key on its way out (a 404)
    try {
      const answer = await requestJson(this.path('sensors/') + '&wait=10', 'DELETE');
      if (answer.carriedOut) {
        this.stop();
        notice(this.key + ' forgotten in topology ' + this.topology.name + '.');
        location.hash = '#/fleet?topology=' + encodeURIComponent(this.topology.name);
      } else {
        notice('Asked to forget ' + this.key + ' (' + answer.topic + '-' + answer.partition + '@' + answer.offset
          + '); not carried out within 10 s: it is, in order with the key\'s events.');
      }
    } catch (e) {
      notice('Could not forget ' + this.key + ': ' + e.message);
    }
    button.disabled = false;
    if (!this.stopped) this.timer = setInterval(() => this.poll(), POLL_MS);
  }

  summary(now) {
    const parts = [now.events + ' events', 'latest reading ' + formatTime(now.lastTimestamp),
      'score ' + now.score.toFixed(3), now.alertOpen ? 'alert open' : 'no alert open',
      modelText(now), now.warmup ? 'warming up' : 'warmed up', rhythmText(now), dispersionText(now),
      'read on ' + now.instance].filter((p) => p !== null);
    $('sensor-summary').textContent = parts.join(' · ');
    this.usualFrom(now);
  }

  /**
   * The key's usual reading by time of day (/sensors: the centre plus the drift signal's profile), per channel; null
   * while the profile does not count (the key's first day, or scoring.driftByHour off).
   */
  usualFrom(now) {
    const u = now.usualByTimeOfDay;
    this.usual = !u || !(now.timeOfDayWeight > 0) ? null
      : Array.isArray(u) ? [u] : this.channels.map((c) => u[c] || null);
    this.offset = now.timeZoneOffsetMs || 0;
  }

  /**
   * The usual reading of channel ci at event time x (ms), from the profile's bin of the day in the sensor's time zone
   * (its offset at the latest event); null without one.
   */
  usualAt(ci, x) {
    const bins = this.usual && this.usual[ci];
    if (!bins) return null;
    const local = x + (this.offset || 0);
    return bins[Math.floor((((local % DAY_MS) + DAY_MS) % DAY_MS) * bins.length / DAY_MS)];
  }

  data(ci) {
    return [this.ts.map((x) => x / 1000), this.values[ci], this.predictions[ci], this.scores,
      this.ts.map(() => this.threshold), this.ts.map((x) => this.usualAt(ci, x))];
  }

  draw() {
    const container = $('charts');
    const width = Math.max(600, container.clientWidth - 20);
    const view = this;
    this.channels.forEach((channel, ci) => {
      const box = document.createElement('div');
      box.className = 'chart';
      box.dataset.channel = channel;
      const title = document.createElement('h4');
      title.textContent = this.channels.length > 1 ? channel : this.key;
      box.appendChild(title);
      container.appendChild(box);
      const options = {
        width, height: 260,
        scales: { x: { time: true }, score: { range: [0, 1.05] } },
        series: [{},
          { label: channel, stroke: SERIES_COLORS.reading, width: 1, scale: 'y' },
          { label: 'prediction', stroke: SERIES_COLORS.prediction, width: 1, dash: [4, 3], scale: 'y' },
          { label: 'score', stroke: SERIES_COLORS.score, width: 1, scale: 'score' },
          { label: 'threshold', stroke: SERIES_COLORS.threshold, width: 1, dash: [2, 3], scale: 'score',
            points: { show: false } },
          { label: 'usual for the time of day', stroke: SERIES_COLORS.usual, width: 1, dash: [1, 3], scale: 'y',
            points: { show: false } }],
        axes: [{}, { scale: 'y' }, { scale: 'score', side: 1, grid: { show: false }, label: 'score' }],
        hooks: { draw: [(u) => view.paint(u)] },
      };
      this.plots.push(new uPlot(options, this.data(ci), box));
    });
    this.list();
  }

  /** Alert spans as shaded bands and model versions as dashed vertical lines, over the plot area. */
  paint(u) {
    const ctx = u.ctx;
    const left = u.bbox.left, right = u.bbox.left + u.bbox.width, top = u.bbox.top, height = u.bbox.height;
    const ratio = window.devicePixelRatio || 1;
    ctx.save();
    ctx.fillStyle = SPAN_FILL;
    for (const s of this.spans) {
      const x0 = Math.max(left, u.valToPos(s.from / 1000, 'x', true));
      const x1 = Math.min(right, u.valToPos(s.to / 1000, 'x', true));
      if (x1 >= x0) ctx.fillRect(x0, top, Math.max(2 * ratio, x1 - x0), height);
    }
    ctx.strokeStyle = ctx.fillStyle = MARK_COLOR;
    ctx.lineWidth = 1.5 * ratio;
    ctx.font = (11 * ratio) + 'px sans-serif';
    for (const m of this.marks) {
      const x = u.valToPos(m.ts / 1000, 'x', true);
      if (x < left || x > right) continue;
      ctx.setLineDash([5 * ratio, 3 * ratio]);
      ctx.beginPath();
      ctx.moveTo(x, top);
      ctx.lineTo(x, top + height);
      ctx.stroke();
      ctx.setLineDash([]);
      ctx.fillText('v' + m.version, x + 3 * ratio, top + 12 * ratio);
    }
    ctx.restore();
  }

  /** The spans and marks as lists beside the charts; the point count on the charts' container. */
  list() {
    $('charts').dataset.points = String(this.ts.length);
    const spans = $('spans');
    spans.replaceChildren();
    for (const s of this.spans) {
      const li = document.createElement('li');
      li.className = 'span';
      li.dataset.from = s.from;
      li.dataset.to = s.to;
      li.textContent = formatTime(s.from) + ' – ' + (s.closed ? formatTime(s.to) : 'open') + ': ' + (s.reason || '')
        + (s.detail ? ' (' + s.detail + ')' : '');
      spans.appendChild(li);
    }
    if (!this.spans.length) spans.innerHTML = '<li class="muted">none in this window</li>';
    const marks = $('marks');
    marks.replaceChildren();
    for (const m of this.marks) {
      const li = document.createElement('li');
      li.className = 'mark';
      li.dataset.version = m.version;
      li.textContent = 'v' + m.version + ' from ' + formatTime(m.ts);
      marks.appendChild(li);
    }
    if (!this.marks.length) marks.innerHTML = '<li class="muted">no change in this window</li>';
  }

  zoomTo(at) {
    const reach = Math.max(60000, (this.ts[this.ts.length - 1] - this.ts[0]) / 8);
    this.zoomed = true;
    for (const p of this.plots) p.setScale('x', { min: (at - reach) / 1000, max: (at + reach) / 1000 });
  }

  async poll() {
    if (this.stopped || !this.ts) return;
    try {
      const since = this.ts.length ? this.ts[this.ts.length - 1] : 0;
      const [series, now] = await Promise.all([getJson(this.path('api/series/') + '&since=' + since),
        getJson(this.path('sensors/'))]);
      if (this.stopped) return;
      if (!series.seen && now.lastTimestamp !== since) this.reset(await getJson(this.path('sensors/', '/history')));
      this.merge(series);
      this.summary(now);
      this.plots.forEach((p, ci) => p.setData(this.data(ci), !this.zoomed));
      this.list();
      status('');
    } catch (e) {
      status(this.key + ': ' + e.message);
    }
  }
}
