// Vigil's dashboard: fleet, sensor and alerts views on the service's JSON endpoints. Plain JavaScript, no build.
'use strict';

const app = {
  topologies: [],
  topology: null,
  fleet: { q: '', sort: 'score', order: 'desc', offset: 0, limit: 50, total: 0 },
  timer: null,
  sensor: null,
  // the access token (http.auth.token), asked for once when the service answers 401; kept for this tab only
  token: sessionStorage.getItem('vigil.token'),
  noticeTimer: null,
};

const $ = (id) => document.getElementById(id);

async function getJson(url) {
  return requestJson(url, 'GET');
}

// the service's JSON answer to METHOD url, with the access token once given; an Error (its status and the service's
// one-line reason) for any answer but 2xx
async function requestJson(url, method) {
  let response;
  for (;;) {
    const used = app.token;
    response = await fetch(url, { method, cache: 'no-store',
      headers: used ? { Authorization: 'Bearer ' + used } : {} });
    if (response.status !== 401) break;
    if (app.token !== used) continue; // another request was given the token meanwhile
    const entered = window.prompt('This Vigil service needs its access token (http.auth.token):');
    if (!entered || !entered.trim()) break;
    app.token = entered.trim();
    sessionStorage.setItem('vigil.token', app.token);
  }
  const body = await response.json().catch(() => ({}));
  if (!response.ok) {
    const error = new Error(body.error || ('HTTP ' + response.status));
    error.status = response.status;
    throw error;
  }
  return body;
}

function formatTime(ms) {
  if (ms === null || ms === undefined) return '—';
  return new Date(ms).toISOString().replace('T', ' ').replace(/(\.000)?Z$/, ' UTC');
}

function cell(row, content, className) {
  const td = document.createElement('td');
  if (content instanceof Node) td.appendChild(content); else td.textContent = content;
  if (className) td.className = className;
  row.appendChild(td);
  return td;
}

function link(text, href) {
  const a = document.createElement('a');
  a.textContent = text;
  a.href = href;
  return a;
}

function sensorHref(key, topology, at) {
  return '#/sensor/' + encodeURIComponent(key) + '?topology=' + encodeURIComponent(topology)
    + (at === undefined ? '' : '&at=' + at);
}

function status(text) {
  $('status').textContent = text || '';
}

// a message about something the user did (it outlives a change of view), gone after 15 s
function notice(text) {
  clearTimeout(app.noticeTimer);
  $('notice').textContent = text;
  $('notice').hidden = false;
  app.noticeTimer = setTimeout(() => { $('notice').hidden = true; }, 15000);
}

// ---- routing ----

function stop() {
  clearInterval(app.timer);
  app.timer = null;
  if (app.sensor) app.sensor.stop();
  app.sensor = null;
}

function show(view) {
  for (const id of ['fleet-view', 'sensor-view', 'alerts-view']) $(id).hidden = id !== view;
  $('nav-fleet').classList.toggle('active', view === 'fleet-view');
  $('nav-alerts').classList.toggle('active', view === 'alerts-view');
}

function every(ms, f) {
  f();
  app.timer = setInterval(f, ms);
}

function route() {
  stop();
  const hash = location.hash || '#/fleet';
  const [path, query] = hash.substring(1).split('?');
  const parameters = new URLSearchParams(query || '');
  if (parameters.get('topology')) selectTopology(parameters.get('topology'));
  if (path.startsWith('/sensor/')) {
    show('sensor-view');
    const at = parameters.has('at') ? Number(parameters.get('at')) : null;
    app.sensor = new SensorView(decodeURIComponent(path.substring('/sensor/'.length)), app.topology, at);
    app.sensor.start();
  } else if (path === '/alerts') {
    show('alerts-view');
    every(2000, loadAlerts);
  } else {
    show('fleet-view');
    every(2000, loadFleet);
  }
}

function selectTopology(name) {
  if (app.topologies.some((t) => t.name === name)) {
    app.topology = app.topologies.find((t) => t.name === name);
    $('topology').value = name;
  }
}

// ---- fleet ----

async function loadFleet() {
  const f = app.fleet;
  const url = 'api/fleet?topology=' + encodeURIComponent(app.topology.name) + '&q=' + encodeURIComponent(f.q)
    + '&sort=' + f.sort + '&order=' + f.order + '&offset=' + f.offset + '&limit=' + f.limit;
  try {
    const page = await getJson(url);
    f.total = page.total;
    renderFleet(page);
    status(page.missing.length ? 'instances not answering: ' + page.missing.join('; ') : '');
  } catch (e) {
    status('fleet: ' + e.message);
  }
}

function renderFleet(page) {
  const body = document.querySelector('#fleet tbody');
  body.replaceChildren();
  for (const r of page.rows) {
    const tr = document.createElement('tr');
    tr.dataset.key = r.key;
    if (r.alertOpen) tr.className = 'alert-open';
    cell(tr, link(r.key, sensorHref(r.key, app.topology.name)));
    cell(tr, formatTime(r.lastTimestamp));
    cell(tr, r.score.toFixed(3));
    const alert = r.alertOpen ? 'open' + (r.reason ? ': ' + r.reason : '')
      : (r.alertsOpened ? r.alertsOpened + ' earlier' : '—');
    cell(tr, alert, r.alertOpen ? 'open' : 'muted');
    cell(tr, r.modelVersion ? 'v' + r.modelVersion : 'none yet', r.modelVersion ? '' : 'muted');
    cell(tr, r.warmup ? 'warming up' : 'ready', r.warmup ? 'muted' : '');
    cell(tr, String(r.events));
    body.appendChild(tr);
  }
  const last = page.offset + page.rows.length;
  const where = page.instances > 1 ? ' on ' + page.instances + ' instances' : '';
  $('fleet-count').textContent = page.total + ' keys' + where;
  $('page').textContent = page.total ? (page.offset + 1) + '–' + last + ' of ' + page.total : 'no keys';
  $('prev').disabled = page.offset === 0;
  $('next').disabled = last >= page.total;
  for (const th of document.querySelectorAll('#fleet th[data-sort]')) {
    th.classList.toggle('sorted-asc', th.dataset.sort === app.fleet.sort && app.fleet.order === 'asc');
    th.classList.toggle('sorted-desc', th.dataset.sort === app.fleet.sort && app.fleet.order === 'desc');
  }
}

function bindFleetControls() {
  let typing = null;
  const filter = () => {
    clearTimeout(typing);
    typing = setTimeout(() => {
      if (app.fleet.q === $('filter').value) return;
      app.fleet.q = $('filter').value;
      app.fleet.offset = 0;
      loadFleet();
    }, 250);
  };
  for (const event of ['input', 'change', 'search']) $('filter').addEventListener(event, filter);
  $('prev').addEventListener('click', () => {
    app.fleet.offset = Math.max(0, app.fleet.offset - app.fleet.limit);
    loadFleet();
  });
  $('next').addEventListener('click', () => {
    app.fleet.offset += app.fleet.limit;
    loadFleet();
  });
  for (const th of document.querySelectorAll('#fleet th[data-sort]')) {
    th.addEventListener('click', () => {
      const f = app.fleet;
      const column = th.dataset.sort;
      f.order = f.sort === column ? (f.order === 'desc' ? 'asc' : 'desc') : (column === 'key' ? 'asc' : 'desc');
      f.sort = th.dataset.sort;
      f.offset = 0;
      loadFleet();
    });
  }
}

// ---- alerts ----

async function loadAlerts() {
  try {
    const answer = await getJson('api/alerts?limit=200');
    const body = document.querySelector('#alerts tbody');
    body.replaceChildren();
    for (const a of answer.alerts) {
      const tr = document.createElement('tr');
      tr.dataset.key = a.key;
      tr.dataset.type = a.type;
      const topology = a.topologies.length ? a.topologies[0] : app.topology.name;
      cell(tr, link(formatTime(a.ts), sensorHref(a.key, topology, a.ts)));
      cell(tr, link(a.key, sensorHref(a.key, topology)));
      cell(tr, a.type, a.type === 'opened' ? 'open' : 'muted');
      cell(tr, a.reason || '—');
      cell(tr, a.detail || '');
      cell(tr, a.channels.join(', '));
      cell(tr, a.score.toFixed(3));
      cell(tr, a.modelVersion ? 'v' + a.modelVersion : 'none');
      body.appendChild(tr);
    }
    status('');
  } catch (e) {
    status('alerts: ' + e.message);
  }
}

// ---- start ----

async function init() {
  try {
    app.topologies = await getJson('api/topologies');
  } catch (e) {
    status('cannot read the topologies: ' + e.message);
    return;
  }
  const select = $('topology');
  for (const t of app.topologies) {
    const option = document.createElement('option');
    option.value = option.textContent = t.name;
    select.appendChild(option);
  }
  app.topology = app.topologies[0];
  select.addEventListener('change', () => {
    selectTopology(select.value);
    app.fleet.offset = 0;
    if (location.hash.startsWith('#/sensor/')) location.hash = '#/fleet'; else route();
  });
  bindFleetControls();
  window.addEventListener('hashchange', route);
  route();
}

init();
