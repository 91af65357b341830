// Pando operator console: reads the admin API with the admin token, which it keeps in
// sessionStorage only (this tab, until it closes); never in a URL.
'use strict';

const TOKEN_KEY = 'pando.adminToken';
const POLL_MS = 5000;
const MAX_SAMPLES = 120;

const state = {
  task: null,          // the selected task's description
  samples: [],         // [{t, counters}] of the selected task, oldest first
  results: [],         // results collected or plotted for the selected task
  timer: null,         // polls the selected task
  tasksTimer: null,    // polls the task list
};
// Charts, exposed for inspection (the browser test reads their data).
const charts = { counters: null, result: null, history: null };
window.pandoConsole = { charts, state };

const $ = (id) => document.getElementById(id);

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === 'class') e.className = v;
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else if (v !== null && v !== undefined) e.setAttribute(k, v);
  }
  for (const c of children) e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return e;
}

function status(text, error) {
  $('status').textContent = text || '';
  $('status').className = error ? 'error' : '';
}

/** A request to the admin API; throws an Error with the problem document's detail. */
async function api(method, path, body) {
  const token = sessionStorage.getItem(TOKEN_KEY);
  const headers = { Authorization: 'Bearer ' + token, Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const r = await fetch(path, {
    method, headers, body: body === undefined ? undefined : JSON.stringify(body),
    cache: 'no-store', credentials: 'omit', referrerPolicy: 'no-referrer',
  });
  if (r.status === 401) {
    forget();
    throw new Error('the admin token was refused');
  }
  const text = await r.text();
  const json = text ? JSON.parse(text) : null;
  if (!r.ok) throw new Error((json && (json.detail || json.title)) || ('HTTP ' + r.status));
  return json;
}

function forget() {
  sessionStorage.removeItem(TOKEN_KEY);
  clearInterval(state.timer);
  clearInterval(state.tasksTimer);
  $('main').hidden = true;
  $('forget').hidden = true;
  $('token-form').hidden = false;
}

const b64short = (s) => (s.length > 12 ? s.slice(0, 10) + '…' : s);
const iso = (seconds) => new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');

function vdafText(v) {
  const params = Object.entries(v).filter(([k]) => k !== 'type').map(([k, x]) => k + '=' + x);
  return v.type + (params.length ? ' (' + params.join(', ') + ')' : '');
}

function taskState(t) {
  return t.task_expiration && t.task_expiration * 1000 <= Date.now() ? 'expired' : 'active';
}

// ---- tasks --------------------------------------------------------------------------------

async function loadTasks() {
  const tasks = await api('GET', '/admin/tasks');
  const body = $('tasks').tBodies[0];
  body.replaceChildren(...tasks.map((t) => el('tr', {
    'data-task-id': t.task_id, class: state.task && state.task.task_id === t.task_id ? 'selected' : '',
    onclick: () => selectTask(t),
  }, el('td', {}, el('code', { title: t.task_id }, b64short(t.task_id))), el('td', {}, t.role),
  el('td', {}, vdafText(t.vdaf)), el('td', {}, t.query_type),
  el('td', { class: 'num' }, t.min_batch_size), el('td', {}, taskState(t)))));
  if (!tasks.length) body.append(el('tr', {}, el('td', { colspan: 6 }, 'No tasks.')));
}

function selectTask(t) {
  state.task = t;
  state.samples = [];
  state.results = [];
  for (const tr of $('tasks').tBodies[0].rows) {
    tr.classList.toggle('selected', tr.dataset.taskId === t.task_id);
  }
  $('task').hidden = false;
  $('task-id').textContent = t.task_id;
  $('task-id').dataset.vdaf = t.vdaf.type;
  const interval = t.query_type === 'time_interval';
  $('interval-fields').hidden = !interval;
  $('batch-field').hidden = interval;
  $('interval-duration').value = t.time_precision;
  $('collect-form').hidden = t.role !== 'leader';
  $('result').hidden = true;
  drawHistory();
  clearInterval(state.timer);
  refreshTask();
  state.timer = setInterval(refreshTask, POLL_MS);
}

async function refreshTask() {
  const t = state.task;
  if (!t) return;
  try {
    const id = encodeURIComponent(t.task_id);
    const [counters, batches, jobs] = await Promise.all([
      api('GET', '/admin/tasks/' + id + '/metrics'),
      api('GET', '/admin/console/tasks/' + id + '/batches'),
      api('GET', '/admin/console/tasks/' + id + '/jobs'),
    ]);
    if (state.task !== t) return;
    addSample(counters);
    showBatches(batches);
    showJobs(jobs);
  } catch (e) {
    status(e.message, true);
  }
}

// ---- counters over time -------------------------------------------------------------------

function addSample(counters) {
  state.samples.push({ t: Date.now() / 1000, counters });
  if (state.samples.length > MAX_SAMPLES) state.samples.shift();
  $('counters').tBodies[0].replaceChildren(...Object.entries(counters).map(([k, v]) =>
    el('tr', { 'data-counter': k }, el('td', {}, k), el('td', { class: 'num' }, v))));
  drawCounters();
}

function drawCounters() {
  const s = state.samples;
  const names = [...new Set(s.flatMap((x) => Object.keys(x.counters)))]
    .filter((k) => k !== 'client_reports').sort();
  // Deltas between consecutive polls, so the first poll only sets the baseline.
  const xs = s.slice(1).map((x) => x.t);
  const series = names.map((n) => s.slice(1).map((x, i) =>
    (x.counters[n] || 0) - (s[i].counters[n] || 0)));
  $('counters-note').textContent = s.length < 2 ? 'The chart starts at the second poll.' : '';
  replaceChart('counters', $('counters-chart'), {
    width: 760, height: 220, scales: { x: { time: true } },
    series: [{}, ...names.map((n, i) => ({ label: n, stroke: color(i), width: 1.5 }))],
  }, [xs, ...series]);
}

// ---- batches and jobs ---------------------------------------------------------------------

function showBatches(batches) {
  const t = state.task;
  $('batches').tBodies[0].replaceChildren(...batches.map((b) => {
    const label = b.interval_start !== null && b.interval_start !== undefined
      ? iso(b.interval_start) : b64short(b.batch);
    const use = el('button', { type: 'button', onclick: () => useBatch(b) }, 'Collect this');
    return el('tr', { 'data-batch': b.batch },
      el('td', { title: b.batch }, label),
      el('td', { class: 'num' }, b.report_count),
      el('td', {}, el('progress', { max: b.min_batch_size,
        value: Math.min(b.report_count, b.min_batch_size) }),
      ' ' + b.report_count + ' / ' + b.min_batch_size),
      el('td', {}, b.collected ? 'yes' : 'no'),
      el('td', {}, t.role === 'leader' ? use : ''));
  }));
  if (!batches.length) {
    $('batches').tBodies[0].append(el('tr', {}, el('td', { colspan: 4 }, 'No batches yet.')));
  }
}

function useBatch(b) {
  if (b.interval_start !== null && b.interval_start !== undefined) {
    $('interval-start').value = iso(b.interval_start).replace('Z', '');
    $('interval-duration').value = state.task.time_precision;
  } else {
    $('batch-id').value = b.batch;
  }
}

function showJobs(jobs) {
  $('jobs').tBodies[0].replaceChildren(...jobs.map((j) => el('tr', {
    class: j.parked ? 'parked' : '', 'data-job-id': j.job_id, 'data-kind': j.kind,
  }, el('td', {}, j.kind), el('td', {}, el('code', { title: j.job_id }, b64short(j.job_id))),
  el('td', { class: 'state' }, j.state), el('td', { class: 'num' }, j.attempts),
  el('td', { class: 'num' }, j.reports === null ? '' : j.reports),
  el('td', { class: 'reason' }, j.parked ? j.parked_reason + ' (since ' + j.parked_since + ')' : ''),
  el('td', {}, j.parked ? el('button', { type: 'button', class: 'retry',
    onclick: (e) => retry(j, e.target) }, 'Retry') : ''))));
  if (!jobs.length) $('jobs').tBodies[0].append(el('tr', {}, el('td', { colspan: 7 }, 'No jobs.')));
}

async function retry(job, button) {
  button.disabled = true;
  try {
    await api('POST', '/admin/jobs/' + job.kind + '/' + encodeURIComponent(state.task.task_id)
      + '/' + encodeURIComponent(job.job_id) + '/retry');
    status('Retry of ' + job.kind + ' job ' + job.job_id + ' requested.');
    refreshTask();
  } catch (e) {
    status('Retry failed: ' + e.message, true);
    button.disabled = false;
  }
}

// ---- collected results --------------------------------------------------------------------

async function collect(event) {
  event.preventDefault();
  const t = state.task;
  const file = $('collector-key').files[0];
  if (!file) {
    status('Choose the collector key file.', true);
    return;
  }
  const body = { collector_token: $('collector-token').value, collector_key: await file.text() };
  if (t.query_type === 'time_interval') {
    const start = Date.parse($('interval-start').value + 'Z');
    if (Number.isNaN(start)) {
      status('Give the interval start.', true);
      return;
    }
    body.interval_start = Math.floor(start / 1000);
    body.interval_duration = Number($('interval-duration').value);
  } else if ($('batch-id').value.trim()) {
    body.batch_id = $('batch-id').value.trim();
  }
  status('Collecting…');
  try {
    const result = await api('POST', '/admin/console/tasks/' + encodeURIComponent(t.task_id)
      + '/collect', body);
    if (state.task !== t) return;
    status('Collected ' + result.report_count + ' reports.');
    showResult(result);
  } catch (e) {
    status('Collection failed: ' + e.message, true);
  } finally {
    // Used for this request only: not kept in the page either.
    body.collector_token = body.collector_key = null;
    $('collector-token').value = '';
    $('collector-key').value = '';
  }
}

async function plotFile() {
  const file = $('result-file').files[0];
  if (!file) return;
  try {
    const result = JSON.parse(await file.text());
    if (result.aggregate === undefined || !result.interval) throw new Error('not a result file');
    showResult(result);
    status('Plotted ' + file.name + ' (read in this page only).');
  } catch (e) {
    status('Cannot plot ' + file.name + ': ' + e.message, true);
  } finally {
    $('result-file').value = '';
  }
}

function showResult(r) {
  const values = (Array.isArray(r.aggregate) ? r.aggregate : [r.aggregate]).map(Number);
  const vector = Array.isArray(r.aggregate);
  $('result').hidden = false;
  $('result-summary').textContent = r.vdaf + ': ' + r.report_count + ' reports, interval '
    + iso(r.interval.start) + ' + ' + r.interval.duration + ' s'
    + (r.batch_id ? ', batch ' + r.batch_id : '');
  $('result-values').tBodies[0].replaceChildren(...values.map((v, i) =>
    el('tr', { 'data-bucket': i }, el('td', {}, vector ? i : 'aggregate'),
      el('td', { class: 'num', 'data-value': v }, v))));
  const bars = r.vdaf === 'Prio3Histogram' || r.vdaf === 'Prio3MultihotCountVec' || !vector;
  const xs = values.map((_, i) => i);
  replaceChart('result', $('result-chart'), {
    width: 760, height: 260,
    scales: { x: { time: false, range: (u, min, max) => [min - 0.5, max + 0.5] },
      y: { range: (u, min, max) => [Math.min(0, min), Math.max(1, max) * 1.05] } },
    axes: [{ label: vector ? 'bucket' : '', incrs: [1] }, {}],
    series: [{ label: 'bucket' }, bars
      ? { label: 'value', fill: 'rgba(60,110,200,0.55)', stroke: color(0),
        paths: uPlot.paths.bars({ size: [0.7, 80] }), points: { show: false } }
      : { label: 'value', stroke: color(0), width: 2 }],
  }, [xs, values]);
  state.results.push(r);
  drawHistory();
}

/** Report counts (and scalar aggregates) of the results seen, by interval start. */
function drawHistory() {
  const rs = [...state.results].sort((a, b) => a.interval.start - b.interval.start);
  const scalar = rs.length > 0 && rs.every((r) => !Array.isArray(r.aggregate));
  const data = [rs.map((r) => r.interval.start), rs.map((r) => r.report_count)];
  const series = [{}, { label: 'reports', stroke: color(1), width: 2 }];
  if (scalar) {
    data.push(rs.map((r) => Number(r.aggregate)));
    series.push({ label: 'aggregate', stroke: color(0), width: 2 });
  }
  replaceChart('history', $('history-chart'), {
    width: 760, height: 200, scales: { x: { time: true } }, series,
  }, data);
}

// ---- charts -------------------------------------------------------------------------------

function replaceChart(name, target, opts, data) {
  if (charts[name]) charts[name].destroy();
  charts[name] = new uPlot(opts, data, target);
}

function color(i) {
  return ['#3c6ec8', '#d9792b', '#2e9e5b', '#b23a48', '#7b5ea7', '#888'][i % 6];
}

// ---- start --------------------------------------------------------------------------------

async function start() {
  $('token-form').hidden = true;
  $('forget').hidden = false;
  try {
    await loadTasks();
    $('main').hidden = false;
    clearInterval(state.tasksTimer);
    state.tasksTimer = setInterval(() => loadTasks().catch((e) => status(e.message, true)),
      POLL_MS);
    status('');
  } catch (e) {
    status(e.message, true);
  }
}

document.addEventListener('DOMContentLoaded', () => {
  $('token-form').addEventListener('submit', (e) => {
    e.preventDefault();
    sessionStorage.setItem(TOKEN_KEY, $('token').value.trim());
    $('token').value = '';
    start();
  });
  $('forget').addEventListener('click', () => { forget(); status('Token forgotten.'); });
  $('collect-form').addEventListener('submit', collect);
  $('result-file').addEventListener('change', plotFile);
  if (sessionStorage.getItem(TOKEN_KEY)) start();
});
