// PvMonitor operator page: polls the /api endpoints every 2 s and draws plain DOM and SVG (no libraries, no CDN, no build step).
'use strict';
const $ = (id) => document.getElementById(id);
const params = new URLSearchParams(location.search);
let selected = params.get('plant') && params.get('inverter') && params.get('strings')
  ? { plant: params.get('plant'), inverter: params.get('inverter'), string: params.get('strings').split(',')[0] } : null;
let faultClasses = new Set();
// An alert link's start time: the history shows the alert's own window until another string is chosen.
let linkFrom = params.get('from');

const fmtTime = (t) => t ? t.replace('T', ' ').replace(/(\.\d+)?(Z|[+-]00:00)$/, '') + ' UTC' : '';
const fmtNum = (v, d) => v === null || v === undefined ? '—' : Number(v).toFixed(d);
const esc = (s) => String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
// "2026-06-01T10:00:00Z" from a time in ms or any parseable string.
const isoOf = (t) => new Date(typeof t === 'number' ? t : Date.parse(t)).toISOString().replace('.000Z', 'Z');
// An anomaly wins over the class: the ELBO says the model does not know this state, so its closest class is only a hint.
const stateOf = (s) => s.night ? 'night' : s.anomaly ? 'anomaly' : s.fault ? 'fault' : 'normal';
// Replaces an element's HTML only when it changed, so polling keeps focus, selection and hover.
const setHtml = (el, html) => { if (el.dataset.html !== html) { el.innerHTML = html; el.dataset.html = html; } };

// ---- API access: bearer token, readable errors ----------------------------------------------------------------------

/** A refused or failed API call; message is one readable line (never a stack trace or raw response text). */
class ApiError extends Error {
  constructor(status, message) { super(message); this.status = status; }
}

// One line for any error: ours as written, anything else (a bug in this page) as a generic line.
const messageOf = (e) => e instanceof ApiError ? e.message : 'The page hit an unexpected problem; reload it.';

// The problem+json a refusal carries, as one line: the detail, else the first invalid field's message.
async function problemText(r) {
  let p = null;
  try { if ((r.headers.get('content-type') || '').includes('json')) p = await r.json(); } catch { p = null; }
  let text = '';
  if (p && typeof p === 'object') {
    const fields = p.errors && typeof p.errors === 'object' ? Object.entries(p.errors) : [];
    if (typeof p.detail === 'string' && p.detail) text = p.detail;
    else if (fields.length) text = `${fields[0][0]}: ${[].concat(fields[0][1])[0]}`;
    else if (typeof p.error === 'string') text = p.error;
    else if (typeof p.title === 'string') text = p.title;
    if (fields.length && text && !text.toLowerCase().includes(fields[0][0].toLowerCase())) text = `${fields[0][0]}: ${text}`;
  }
  if (!text) text = r.status >= 500 ? `The worker could not complete the request (HTTP ${r.status}).` : `The request was refused (HTTP ${r.status}).`;
  text = text.replace(/\s+/g, ' ').trim();
  return text.length > 300 ? text.slice(0, 297) + '…' : text;
}

// With Api:RequireAuth the API wants "Authorization: Bearer TOKEN": asked for on a 401, kept in this tab's sessionStorage.
const TOKEN_KEY = 'pvmonitor.token';
let tokenPrompt = null;
function askToken(note) {
  $('auth-error').textContent = note || '';
  if (!tokenPrompt) {
    tokenPrompt = new Promise((resolve) => {
      const form = $('auth');
      form.hidden = false;
      $('auth-token').value = '';
      $('auth-token').focus();
      form.onsubmit = (ev) => {
        ev.preventDefault();
        const token = $('auth-token').value.trim();
        if (!token) return;
        sessionStorage.setItem(TOKEN_KEY, token);
        form.hidden = true;
        tokenPrompt = null;
        resolve(token);
      };
    });
  }
  return tokenPrompt;
}

// A viewer token may read but not write: its role comes from /api/me (asked once per token), and a 403 says so too; then
// the write controls are hidden and the reason shown.
let readOnly = false;
let roleKnownFor = undefined;
async function loadRole() {
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (roleKnownFor === token) return;
  try {
    const me = await getJson('api/me');
    setReadOnly(me.role !== 'operator');
    roleKnownFor = sessionStorage.getItem(TOKEN_KEY);
  } catch (e) { if (!(e instanceof ApiError) || e.status !== 404) throw e; roleKnownFor = token; /* older worker: learn from a 403 */ }
}
function setReadOnly(on) {
  readOnly = on;
  document.body.classList.toggle('read-only', on);
  $('role-note').hidden = !on;
}

async function api(path, options = {}) {
  const method = options.method || 'GET';
  for (;;) {
    const token = sessionStorage.getItem(TOKEN_KEY);
    const headers = {};
    if (token) headers.Authorization = 'Bearer ' + token;
    if (options.body !== undefined) headers['Content-Type'] = 'application/json';
    let r;
    try {
      r = await fetch(path, { method, cache: 'no-store', headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
    } catch {
      throw new ApiError(0, 'The worker cannot be reached; the page keeps trying.');
    }
    if (r.status === 401) {
      await askToken(token ? 'That token was not accepted; enter another.' : '');
      continue;
    }
    if (r.status === 403) {
      setReadOnly(true);
      throw new ApiError(403, 'This token may only read (viewer): an operator token is needed to change anything.');
    }
    if (!r.ok) throw new ApiError(r.status, await problemText(r));
    if (!(r.headers.get('content-type') || '').includes('json')) return null;
    try { return await r.json(); } catch { throw new ApiError(r.status, 'The worker sent an answer the page cannot read.'); }
  }
}

const getJson = (path) => api(path);

function showResult(el, text, ok) {
  el.textContent = text;
  el.className = 'message-line ' + (ok ? 'ok' : 'error');
}

// ---- conditions ----------------------------------------------------------------------------------------------------

// Condition names and descriptions from /api/conditions.
let conditionNames = new Map();
const nameOf = (code) => conditionNames.get(code)?.name ?? '';
const NEW_CONDITION = '__new';
async function loadConditions() {
  try {
    const list = await getJson('api/conditions');
    conditionNames = new Map(list.map((c) => [c.code, c]));
  } catch (e) { return; /* older worker: codes alone */ }
  const select = $('label-condition');
  const current = select.value;
  select.innerHTML = [...conditionNames.values()].map((c) =>
    `<option value="${esc(c.code)}" title="${esc(c.description)}">${esc(c.code)} — ${esc(c.name)} (${esc(c.severity)})</option>`).join('')
    + `<option value="${NEW_CONDITION}">+ new condition…</option>`;
  if (current && [...select.options].some((o) => o.value === current)) select.value = current;
  onConditionChange();
}

function onConditionChange() {
  const code = $('label-condition').value;
  $('new-condition').hidden = code !== NEW_CONDITION;
  $('label-condition-description').textContent = code === NEW_CONDITION ? 'Describe the new condition below; it joins the catalog when the label is saved.'
    : conditionNames.get(code)?.description ?? '';
}

// ---- overview, strings, history ------------------------------------------------------------------------------------

async function refreshOverview() {
  const [o, ready] = await Promise.all([getJson('api/overview'), fetch('readyz', { cache: 'no-store' })]);
  faultClasses = new Set(o.faultClasses);
  const badge = $('ready');
  badge.textContent = ready.ok ? 'ready' : 'not ready';
  badge.className = 'badge ' + (ready.ok ? 'ok' : 'bad');
  const items = [
    ['source', o.source], ['store', o.store], ['model', o.model.kind + ' ' + o.model.version],
    ['anomaly threshold', fmtNum(o.model.threshold, 1) + ' nats'], ['samples stored', o.samplesStored],
    ['dead letters', o.deadLetters], ['alerts', o.alerts], ['input queue', o.inputQueue],
    ['drifting strings', o.driftingStrings],
  ];
  setHtml($('summary'), items.map(([k, v]) => `<div><dt>${esc(k)}</dt><dd>${esc(v)}</dd></div>`).join(''));
}

// Latest sample time (ms) per "plant|inverter|string", for episodes that are still open.
let latestTimes = new Map();
const keyOf = (s) => `${s.plant}|${s.inverter}|${s.string}`;

async function refreshStrings() {
  const [strings, drift] = await Promise.all([getJson('api/strings'), getJson('api/drift')]);
  // Strings whose recent ELBOs moved away from the model's training distribution: a suggestion to label and retrain.
  const drifting = new Map(drift.strings.filter((d) => d.drifting).map((d) => [keyOf(d), d.reason]));
  latestTimes = new Map(strings.map((s) => [keyOf(s), Date.parse(s.time)]));
  if (!selected && strings.length) selected = { plant: strings[0].plant, inverter: strings[0].inverter, string: strings[0].string };
  const grid = $('strings');
  if (!strings.length) { setHtml(grid, '<div class="empty">no telemetry yet</div>'); return; }
  setHtml(grid, strings.map((s) => {
    const isSel = selected && s.plant === selected.plant && s.inverter === selected.inverter && s.string === selected.string;
    return `<div class="card ${stateOf(s)}${isSel ? ' selected' : ''}" data-plant="${esc(s.plant)}" data-inverter="${esc(s.inverter)}" data-string="${esc(s.string)}">
      <div class="name">${esc(s.plant)} / ${esc(s.inverter)} / ${esc(s.string)}</div>
      <div class="cond" title="${esc(conditionNames.get(s.condition)?.description ?? '')}">${s.anomaly && !s.night
        ? `unknown state (anomaly) <small>closest: ${esc(s.condition)}${nameOf(s.condition) ? ' · ' + esc(nameOf(s.condition)) : ''}</small>`
        : `${esc(s.condition)}${nameOf(s.condition) ? ' <small>' + esc(nameOf(s.condition)) + '</small>' : ''}`}</div>
      <div class="meta">p=${fmtNum(s.confidence, 2)} · ELBO ${fmtNum(s.elbo, 1)}</div>
      <div class="meta">${esc(fmtTime(s.time))}</div>${drifting.has(keyOf(s))
        ? `<div class="meta drift" title="${esc(drifting.get(keyOf(s)))}">drift: ${esc(drifting.get(keyOf(s)))} — label and retrain?</div>` : ''}</div>`;
  }).join(''));
}

function selectString(card) {
  selected = { plant: card.dataset.plant, inverter: card.dataset.inverter, string: card.dataset.string };
  linkFrom = null;
  chartSelection = null;
  const q = new URLSearchParams({ plant: selected.plant, inverter: selected.inverter, strings: selected.string });
  history.replaceState(null, '', '?' + q.toString());
  refreshAll();
}

// "V -7.2, I 3.1" from [{sensor, z}, ...].
const fmtSensors = (list) => list.map((s) => `${s.sensor} ${fmtNum(s.z, 1)}`).join(', ');

// The n sensors of a {sensor: z} map with the largest |z|, formatted.
function topSensors(z, n) {
  return fmtSensors(Object.entries(z).filter(([, v]) => v !== null).map(([sensor, v]) => ({ sensor, z: v }))
    .sort((a, b) => Math.abs(b.z) - Math.abs(a.z)).slice(0, n));
}

// The history chart's time axis (for drag-to-select) and the range selected on it.
let historyScale = null;
let chartSelection = null;
let dragging = null;
const CHART_W = 1000;

async function refreshHistory() {
  if (!selected || dragging) return;
  const range = linkFrom ? `&from=${encodeURIComponent(linkFrom)}` : '';
  const h = await getJson(`api/strings/${encodeURIComponent(selected.plant)}/${encodeURIComponent(selected.inverter)}/${encodeURIComponent(selected.string)}/history?hours=6${range}`);
  $('history-title').textContent = linkFrom
    ? `${h.plant} / ${h.inverter} / ${h.string} — 6 h around the alert from ${fmtTime(linkFrom)}`
    : `${h.plant} / ${h.inverter} / ${h.string} — last 6 h of samples`;
  const svg = $('history');
  const W = CHART_W, H = 260, top = 10, band = 26, plotH = H - band - top - 20;
  if (!h.telemetry.length) { setHtml(svg, ''); historyScale = null; return; }
  const t0 = Date.parse(h.telemetry[0].time), t1 = Date.parse(h.telemetry[h.telemetry.length - 1].time) + 1;
  historyScale = { t0, t1, plant: h.plant, inverter: h.inverter, string: h.string };
  const x = (t) => ((Date.parse(t) - t0) / (t1 - t0)) * W;
  const pmax = Math.max(1, ...h.telemetry.map((p) => p.i * p.v));
  const gmax = Math.max(1, ...h.telemetry.map((p) => p.g));
  const line = (sel, max) => h.telemetry.map((p, k) => `${k ? 'L' : 'M'}${x(p.time).toFixed(1)},${(top + plotH - (sel(p) / max) * plotH).toFixed(1)}`).join('');
  const parts = [];
  const colours = { normal: '#2e9d5b', fault: '#d23c3c', anomaly: '#e58a12', night: '#7d8799' };
  for (let k = 0; k < h.conditions.length; k++) {
    const c = h.conditions[k];
    const next = h.conditions[k + 1];
    const x0 = x(c.time), x1 = next ? x(next.time) : W;
    const st = c.night ? 'night' : c.anomaly ? 'anomaly' : faultClasses.has(c.condition) ? 'fault' : 'normal';
    const zText = c.anomaly && c.z ? ' · sensors (z): ' + topSensors(c.z, 3) : '';
    parts.push(`<rect x="${x0.toFixed(1)}" y="${H - band - 10}" width="${Math.max(0.5, x1 - x0).toFixed(1)}" height="${band}" fill="${colours[st]}"><title>${esc(fmtTime(c.time))} ${esc(c.condition)}${nameOf(c.condition) ? ' (' + esc(nameOf(c.condition)) + ')' : ''} p=${fmtNum(c.confidence, 2)} ELBO ${fmtNum(c.elbo, 1)}${esc(zText)}</title></rect>`);
    if (c.anomaly && !c.night) parts.push(`<line x1="${x0.toFixed(1)}" x2="${x0.toFixed(1)}" y1="${top}" y2="${top + 6}" stroke="#e58a12" stroke-width="2"/>`);
  }
  parts.push(`<path d="${line((p) => p.g, gmax)}" fill="none" stroke="#9aa6b8" stroke-width="1.2"/>`);
  parts.push(`<path d="${line((p) => p.i * p.v, pmax)}" fill="none" stroke="#1f5fbf" stroke-width="1.8"/>`);
  parts.push(`<text x="4" y="${top + 12}" font-size="12" fill="#1f5fbf">P = I·V (max ${(pmax / 1000).toFixed(2)} kW)</text>`);
  parts.push(`<text x="4" y="${top + 26}" font-size="12" fill="#7a8698">G (max ${gmax.toFixed(0)} W/m²)</text>`);
  parts.push(`<text x="4" y="${H - 2}" font-size="11" fill="#6a7384">${esc(fmtTime(h.telemetry[0].time))}</text>`);
  parts.push(`<text x="${W - 4}" y="${H - 2}" font-size="11" fill="#6a7384" text-anchor="end">${esc(fmtTime(h.telemetry[h.telemetry.length - 1].time))}</text>`);
  const sel = chartSelection && keyOf(chartSelection) === keyOf(historyScale) ? chartSelection : null;
  if (sel) parts.push(selectionRect(sel.from, sel.to));
  setHtml(svg, parts.join(''));
  const lastAnomaly = [...h.conditions].reverse().find((c) => c.anomaly && !c.night && c.z);
  $('history-legend').textContent = 'Band: classified condition per sample (green normal, red fault, orange anomaly, grey night); hover for details. Orange ticks: ELBO below the model threshold.'
    + (lastAnomaly ? ` Latest anomaly ${fmtTime(lastAnomaly.time)}: sensors that look most wrong (reconstruction z-score) ${topSensors(lastAnomaly.z, 3)}.` : '');
}

const xOfTime = (t) => Math.min(CHART_W, Math.max(0, ((t - historyScale.t0) / (historyScale.t1 - historyScale.t0)) * CHART_W));
const selectionRect = (from, to) =>
  `<rect id="drag-selection" x="${xOfTime(from).toFixed(1)}" y="0" width="${Math.max(1, xOfTime(to) - xOfTime(from)).toFixed(1)}" height="260" fill="rgba(31,95,191,.18)" stroke="#1f5fbf"/>`;

// Time (ms, whole minutes) under the pointer on the history chart.
function timeAt(ev) {
  const r = $('history').getBoundingClientRect();
  const f = Math.min(1, Math.max(0, (ev.clientX - r.left) / r.width));
  return Math.round((historyScale.t0 + f * (historyScale.t1 - historyScale.t0)) / 60000) * 60000;
}

function drawDrag(ev) {
  const t = timeAt(ev);
  chartSelection = { ...historyScale, from: Math.min(dragging.start, t), to: Math.max(dragging.start, t) };
  const svg = $('history');
  svg.querySelector('#drag-selection')?.remove();
  svg.insertAdjacentHTML('beforeend', selectionRect(chartSelection.from, chartSelection.to));
  svg.dataset.html = '';
}

function wireChartSelection() {
  const svg = $('history');
  svg.addEventListener('pointerdown', (ev) => {
    if (!historyScale || readOnly || ev.button !== 0) return;
    ev.preventDefault();
    dragging = { start: timeAt(ev) };
    svg.setPointerCapture?.(ev.pointerId);
    drawDrag(ev);
  });
  svg.addEventListener('pointermove', (ev) => { if (dragging) drawDrag(ev); });
  const end = (ev) => {
    if (!dragging) return;
    drawDrag(ev);
    dragging = null;
    if (chartSelection.to - chartSelection.from < 60000) { chartSelection = null; $('history').querySelector('#drag-selection')?.remove(); return; }
    selectedEpisode = null;
    renderAnomalies();
    setTarget({ ...chartSelection, what: 'Range selected on the chart' });
  };
  svg.addEventListener('pointerup', end);
  svg.addEventListener('pointercancel', () => { dragging = null; });
}

// ---- anomaly episodes ----------------------------------------------------------------------------------------------

let episodes = [];
let selectedEpisode = null;
const episodeKey = (e) => `${e.plant}|${e.inverter}|${e.string}|${e.from}`;

async function refreshAnomalies() {
  const status = $('anomaly-status').value;
  episodes = await getJson('api/anomalies' + (status ? '?status=' + encodeURIComponent(status) : ''));
  renderAnomalies();
}

function renderAnomalies() {
  const body = $('anomalies').tBodies[0];
  if (!episodes.length) { setHtml(body, `<tr><td colspan="6" class="empty">no ${esc($('anomaly-status').value)} anomaly episodes</td></tr>`); return; }
  setHtml(body, episodes.map((e) => {
    const key = episodeKey(e);
    const labelled = e.labelCondition ? ` · ${esc(e.labelCondition)}${nameOf(e.labelCondition) ? ' ' + esc(nameOf(e.labelCondition)) : ''}` : '';
    return `<tr class="episode${key === selectedEpisode ? ' selected' : ''}" data-key="${esc(key)}">
      <td>${esc(e.plant)} / ${esc(e.inverter)} / ${esc(e.string)}</td><td>${esc(fmtTime(e.from))}</td><td>${e.to ? esc(fmtTime(e.to)) : 'ongoing'}</td>
      <td>${fmtNum(e.minElbo, 1)}</td><td>${esc(fmtSensors(e.sensors))}</td><td class="status-${esc(e.status)}">${esc(e.status)}${labelled}</td></tr>`;
  }).join(''));
}

// Where an episode ends for labelling and charts: its end, or (still open) just after the string's latest sample.
function episodeEnd(e) {
  if (e.to) return Date.parse(e.to);
  const latest = latestTimes.get(keyOf(e));
  return latest && latest > Date.parse(e.from) ? latest + 60000 : Date.parse(e.from) + 3600000;
}

async function selectEpisode(key) {
  const e = episodes.find((x) => episodeKey(x) === key);
  if (!e) return;
  selectedEpisode = key;
  chartSelection = null;
  renderAnomalies();
  const from = Date.parse(e.from), to = episodeEnd(e);
  setTarget({ plant: e.plant, inverter: e.inverter, string: e.string, from, to, what: 'Anomaly episode' });
  $('episode').hidden = false;
  $('episode-title').textContent = `${e.plant} / ${e.inverter} / ${e.string}: ${fmtTime(e.from)} – ${e.to ? fmtTime(e.to) : 'ongoing'} · min ELBO ${fmtNum(e.minElbo, 1)} nats`;
  $('episode-sensors').textContent = e.sensors.length
    ? 'Sensors that look wrong (reconstruction z-score): ' + e.sensors.map((s) => `${s.sensor} (z ${fmtNum(s.z, 1)})`).join(', ')
    : 'No sensor stood out when the episode opened.';
  const w0 = from - 3600000, w1 = Math.min(to + 3600000, w0 + 12 * 3600000);
  setHtml($('episode-charts'), '<div class="empty">loading telemetry…</div>');
  try {
    const q = new URLSearchParams({ plant: e.plant, inverter: e.inverter, string: e.string, from: isoOf(w0), to: isoOf(w1) });
    const rows = await getJson('api/telemetry?' + q.toString());
    if (selectedEpisode !== key) return;
    const wrong = new Map(e.sensors.map((s) => [s.sensor, s.z]));
    const series = [['I', 'i', 'A'], ['V', 'v', 'V'], ['G', 'g', 'W/m²'], ['TMod', 'tMod', '°C']];
    setHtml($('episode-charts'), rows.length
      ? series.map(([name, field, unit]) => smallChart(rows, name, field, unit, w0, w1, from, to, wrong)).join('')
      : '<div class="empty">no telemetry stored around this episode</div>');
  } catch (err) {
    setHtml($('episode-charts'), `<div class="error">${esc(messageOf(err))}</div>`);
  }
}

const hhmm = (t) => new Date(t).toISOString().slice(11, 16);

// One sensor over [w0, w1] with the episode [e0, e1] shaded; outlined when the sensor looks wrong.
function smallChart(rows, name, field, unit, w0, w1, e0, e1, wrong) {
  const W = 300, H = 110, pad = 14;
  const values = rows.map((r) => r[field]).filter((v) => Number.isFinite(v));
  const lo = Math.min(...values), hi = Math.max(...values), span = hi - lo || 1;
  const x = (t) => ((t - w0) / (w1 - w0)) * W;
  const y = (v) => pad + (H - 2 * pad) * (1 - (v - lo) / span);
  const path = rows.filter((r) => Number.isFinite(r[field]))
    .map((r, k) => `${k ? 'L' : 'M'}${x(Date.parse(r.time)).toFixed(1)},${y(r[field]).toFixed(1)}`).join('');
  const isWrong = wrong.has(name);
  const caption = `${name} (${unit})` + (isWrong ? ` — looks wrong, z ${fmtNum(wrong.get(name), 1)}` : '');
  return `<figure class="chart${isWrong ? ' wrong' : ''}" data-sensor="${esc(name)}"><figcaption>${esc(caption)}</figcaption>
    <svg viewBox="0 0 ${W} ${H}" preserveAspectRatio="none" role="img" aria-label="${esc(name)} around the episode">
    <rect x="${x(e0).toFixed(1)}" y="0" width="${Math.max(1, x(e1) - x(e0)).toFixed(1)}" height="${H}" fill="rgba(229,138,18,.15)"/>
    <path d="${path}" fill="none" stroke="${isWrong ? '#d23c3c' : '#1f5fbf'}" stroke-width="1.4"/>
    <text x="3" y="11" font-size="10" fill="#6a7384">${esc(fmtNum(hi, 1))}</text><text x="3" y="${H - 3}" font-size="10" fill="#6a7384">${esc(fmtNum(lo, 1))}</text>
    <text x="${W - 3}" y="${H - 3}" font-size="10" fill="#6a7384" text-anchor="end">${esc(hhmm(w0))}–${esc(hhmm(w1))} UTC</text></svg></figure>`;
}

// ---- labelling -----------------------------------------------------------------------------------------------------

let target = null;
function setTarget(t) {
  target = t;
  const el = $('label-target');
  el.className = '';
  el.textContent = `${t.what}: ${t.plant} / ${t.inverter} / ${t.string}, ${fmtTime(isoOf(t.from))} – ${fmtTime(isoOf(t.to))}`;
  $('label-form').hidden = false;
  $('label-from').value = isoOf(t.from);
  $('label-to').value = isoOf(t.to);
  $('label-message').textContent = '';
}

// A time typed by the operator: ISO-8601, "YYYY-MM-DD HH:MM[:SS]" or as shown ("… UTC"); no zone means UTC.
function parseUtc(text, field) {
  let s = text.trim().replace(/\s*UTC$/i, 'Z').replace(' ', 'T');
  if (!/(Z|[+-]\d\d:?\d\d)$/i.test(s)) s += 'Z';
  const t = Date.parse(s);
  if (!Number.isFinite(t)) throw new ApiError(0, `${field}: '${text}' is not a time; write it like 2026-06-01T10:00:00Z.`);
  return isoOf(t);
}

async function submitLabel(ev) {
  ev.preventDefault();
  if (!target) return;
  const msg = $('label-message');
  showResult(msg, 'saving…', true);
  $('label-submit').disabled = true;
  try {
    const from = parseUtc($('label-from').value, 'from');
    const to = parseUtc($('label-to').value, 'to');
    let code = $('label-condition').value;
    if (code === NEW_CONDITION) {
      const created = await api('api/conditions', {
        method: 'POST',
        body: { code: $('new-code').value.trim(), name: $('new-name').value.trim(), description: $('new-description').value.trim(), severity: $('new-severity').value },
      });
      code = created.code;
      await loadConditions();
      $('label-condition').value = code;
      onConditionChange();
    }
    const label = await api('api/labels', {
      method: 'POST',
      body: { plant: target.plant, string: `${target.inverter}/${target.string}`, from, to, condition: code, note: $('label-note').value.trim() },
    });
    showResult(msg, `Label ${label.id} saved: ${label.plant} / ${label.string} as ${label.condition}${nameOf(label.condition) ? ' (' + nameOf(label.condition) + ')' : ''}.`, true);
    await Promise.all([refreshLabels(), refreshAnomalies()]);
  } catch (e) {
    showResult(msg, messageOf(e), false);
  } finally {
    $('label-submit').disabled = false;
  }
}

async function refreshLabels() {
  const labels = await getJson('api/labels');
  setHtml($('labels').tBodies[0], labels.length ? labels.map((l) => `<tr data-label="${l.id}">
    <td>${l.id}</td><td>${esc(l.plant)} / ${esc(l.string)}</td><td>${esc(fmtTime(l.from))}</td><td>${esc(fmtTime(l.to))}</td>
    <td title="${esc(conditionNames.get(l.condition)?.description ?? '')}">${esc(l.condition)}${nameOf(l.condition) ? ' · ' + esc(nameOf(l.condition)) : ''}</td>
    <td>${esc(l.note)}</td><td>${esc(l.author)}</td><td><button type="button" class="write" data-delete="${l.id}">delete</button></td></tr>`).join('')
    : '<tr><td colspan="8" class="empty">no labels yet</td></tr>');
}

async function deleteLabel(id) {
  try {
    await api('api/labels/' + encodeURIComponent(id), { method: 'DELETE' });
    showResult($('labels-message'), `Label ${id} deleted.`, true);
    await Promise.all([refreshLabels(), refreshAnomalies()]);
  } catch (e) {
    showResult($('labels-message'), messageOf(e), false);
  }
}

// ---- retraining ----------------------------------------------------------------------------------------------------

let lastRetrainState = null;
const fmtEta = (s) => s === null || s === undefined ? '' : s < 60 ? `${Math.ceil(s)} s` : `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;

function renderRetrain(s) {
  const running = s.state === 'running';
  $('retrain-start').disabled = running;
  $('retrain-cancel').hidden = !running;
  const el = $('retrain-status');
  el.className = 'retrain-' + s.state;
  el.dataset.state = s.state;
  const lines = [];
  if (s.state === 'idle') lines.push('No retraining since the worker started.');
  else {
    lines.push(`<b class="state-${esc(s.state)}">${esc(s.state)}</b>${running && s.phase ? ' · ' + esc(s.phase) : ''}`
      + (s.maxEpochs ? ` · epoch ${s.epoch}/${s.maxEpochs}` : '') + (running && s.etaSeconds !== null ? ` · ETA ≤ ${esc(fmtEta(s.etaSeconds))}` : ''));
    lines.push(`reason: ${esc(s.reason ?? '')} · by ${esc(s.requestedBy ?? '')} · started ${esc(fmtTime(s.started))}${s.finished ? ' · finished ' + esc(fmtTime(s.finished)) : ''}`);
    const candidate = s.candidate ? esc(s.candidate) : 'the candidate';
    if (s.state === 'accepted') lines.push(`<span class="outcome ok">${candidate} passed the gate and is now active. ${esc(s.outcome ?? '')}</span>`);
    else if (s.state === 'rejected') lines.push(`<span class="outcome bad">${candidate} was rejected by the gate; the active model stays. Reason: ${esc(s.outcome ?? '')}</span>`);
    else if (s.state === 'failed') lines.push(`<span class="outcome bad">Retraining failed: ${esc(s.outcome ?? '')}</span>`);
    else if (s.state === 'cancelled') lines.push('<span class="outcome">Cancelled; nothing was registered.</span>');
  }
  setHtml(el, lines.map((l) => `<div>${l}</div>`).join(''));
  const bar = $('retrain-progress');
  bar.hidden = !running;
  bar.value = s.maxEpochs ? s.epoch / s.maxEpochs : 0;
  $('retrain-log').hidden = !s.log.length;
  $('retrain-log').textContent = s.log.slice(-12).join('\n');
  if (lastRetrainState === 'running' && !running) {
    refreshModels().catch(() => {});
    if ($('retrain-message').textContent === 'Retraining started.') $('retrain-message').textContent = '';
  }
  lastRetrainState = s.state;
}

async function refreshRetrain() {
  renderRetrain(await getJson('api/retrain'));
}

async function startRetrain(ev) {
  ev.preventDefault();
  const msg = $('retrain-message');
  try {
    const s = await api('api/retrain', { method: 'POST', body: { reason: $('retrain-reason').value.trim() || 'requested from the operator page' } });
    showResult(msg, 'Retraining started.', true);
    if (s) renderRetrain(s);
  } catch (e) {
    showResult(msg, messageOf(e), false);
  }
}

async function cancelRetrain() {
  try {
    await api('api/retrain', { method: 'DELETE' });
    showResult($('retrain-message'), 'Cancelling…', true);
    await refreshRetrain();
  } catch (e) {
    showResult($('retrain-message'), messageOf(e), false);
  }
}

// ---- models --------------------------------------------------------------------------------------------------------

let shownModel = null;
const fmtMetric = (v) => v === null || v === undefined ? '—' : Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 1 ? v.toFixed(2) : v.toFixed(3);

async function refreshModels() {
  const m = await getJson('api/models');
  const active = m.versions.find((v) => v.active);
  const body = $('models').tBodies[0];
  if (!m.versions.length) { setHtml(body, '<tr><td colspan="7" class="empty">no versions registered</td></tr>'); return; }
  setHtml(body, m.versions.map((v) => {
    const metrics = Object.entries(v.metrics || {}).slice(0, 6).map(([k, x]) => `${esc(k)} ${esc(fmtMetric(x))}`).join(' · ');
    const older = active && Date.parse(v.created) < Date.parse(active.created);
    const gate = v.gate ? `<span class="gate-${esc(v.gate)}">${esc(v.gate)}</span>${v.reason ? ' — ' + esc(v.reason) : ''}` : '—';
    return `<tr class="model${v.active ? ' active' : ''}${v.version === shownModel ? ' selected' : ''}" data-version="${esc(v.version)}">
      <td>${v.active ? '<b class="active-mark">★ active</b> ' : ''}${esc(v.version)}</td><td>${esc(v.kind)}</td><td>${esc(fmtTime(v.created))}</td>
      <td>${esc(v.origin)}${v.parent ? ' from ' + esc(v.parent) : ''}</td><td>${gate}</td><td>${metrics}</td>
      <td>${v.active ? '' : `<button type="button" class="write" data-activate="${esc(v.version)}">${older ? 'roll back' : 'activate'}</button>`}</td></tr>`;
  }).join(''));
}

async function activateModel(version) {
  const msg = $('models-message');
  try {
    await api(`api/models/${encodeURIComponent(version)}/activate`, { method: 'POST' });
    showResult(msg, `${version} is now the active model.`, true);
    await Promise.all([refreshModels(), refreshOverview()]);
  } catch (e) {
    showResult(msg, messageOf(e), false);
  }
}

async function showModel(version) {
  shownModel = version;
  $('model-detail').hidden = false;
  $('model-title').textContent = version;
  setHtml($('model-confusion'), '<div class="empty">loading…</div>');
  setHtml($('model-latent'), '');
  refreshModels().catch(() => {});
  try {
    const d = await getJson(`api/models/${encodeURIComponent(version)}`);
    if (shownModel !== version) return;
    $('model-classes').textContent = `classes: ${d.classes.map((c) => c + (nameOf(c) ? ' (' + nameOf(c) + ')' : '')).join(', ')} · anomaly threshold ${fmtNum(d.anomalyThreshold, 1)} nats`
      + (Number.isFinite(d.snapshotRows) ? ` · training snapshot ${d.snapshotRows} rows` : '')
      + (d.gate ? ` · gate ${d.gate}${d.reason ? ': ' + d.reason : ''}` : '');
    setHtml($('model-confusion'), d.validation ? confusionTable(d.validation) : '<div class="empty">no validation report for this version</div>');
  } catch (e) {
    setHtml($('model-confusion'), `<div class="error">${esc(messageOf(e))}</div>`);
  }
  try {
    const latent = await getJson(`api/models/${encodeURIComponent(version)}/latent`);
    if (shownModel !== version) return;
    setHtml($('model-latent'), latent && Array.isArray(latent.points) && latent.points.length ? latentPlot(latent) : '<div class="empty">no latent plot for this version</div>');
  } catch (e) {
    // A worker without the latent endpoint (404): no plot.
    // A version the worker cannot map (no snapshot, not an SDGM) answers 409 with the reason: shown as a note.
    setHtml($('model-latent'), e instanceof ApiError && e.status === 404 ? '<div class="empty">no latent plot for this version</div>'
      : `<div class="${e instanceof ApiError && e.status === 409 ? 'empty' : 'error'}">${esc(messageOf(e))}</div>`);
  }
}

// The gate's held-out confusion matrix (rows: true class, columns: predicted) with each class's recall (diagonal / row sum).
function confusionTable(v) {
  const classes = v.classes || [];
  const matrix = v.confusion;
  if (!Array.isArray(matrix) || !classes.length) return '<div class="empty">no confusion matrix in the validation report</div>';
  const recallOf = (row, i) => { const n = row.reduce((a, b) => a + b, 0); return n ? row[i] / n : null; };
  const head = `<tr><th>true \\ predicted</th>${classes.map((c) => `<th title="${esc(nameOf(c))}">${esc(c)}</th>`).join('')}<th>recall</th></tr>`;
  const body = matrix.map((row, i) => `<tr><th title="${esc(nameOf(classes[i]))}">${esc(classes[i])}</th>${row.map((n, j) =>
    `<td class="${i === j ? 'diag' : n ? 'off' : ''}">${esc(n)}</td>`).join('')}<td>${fmtNum(recallOf(row, i), 2)}</td></tr>`).join('');
  const measured = Object.entries(v.metrics || {}).map(([k, x]) => `${esc(k)} ${esc(fmtMetric(x))}`).join(' · ');
  return `<div class="muted">Validation${Number.isFinite(v.holdoutRows) ? ` on ${v.holdoutRows} held-out rows` : ''} (rows: true class, columns: predicted)</div>
    <table id="confusion" class="confusion">${head}${body}</table>${measured ? `<div class="muted">gate measurements: ${measured}</div>` : ''}`;
}

// The z1 PCA scatter of the model's training snapshot, coloured by label.
function latentPlot(l) {
  const W = 460, H = 300, pad = 28, plotW = W - 100;
  const palette = ['#1f5fbf', '#d23c3c', '#2e9d5b', '#e58a12', '#7b3fbf', '#17a2b8', '#8c6d31', '#e377c2', '#7f7f7f', '#bcbd22', '#393b79'];
  const labels = [...new Set(l.points.map((p) => p.label))];
  const colour = new Map(labels.map((c, i) => [c, palette[i % palette.length]]));
  const xs = l.points.map((p) => p.x), ys = l.points.map((p) => p.y);
  const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const sx = (v) => pad + ((v - x0) / (x1 - x0 || 1)) * (plotW - 2 * pad), sy = (v) => H - pad - ((v - y0) / (y1 - y0 || 1)) * (H - 2 * pad);
  const pct = (v) => v === undefined || v === null ? '' : ` (${(v <= 1 ? v * 100 : v).toFixed(0)} %)`;
  const ex = l.explained || [];
  const dots = l.points.map((p) => `<circle cx="${sx(p.x).toFixed(1)}" cy="${sy(p.y).toFixed(1)}" r="2.4" fill="${colour.get(p.label)}" fill-opacity=".7"><title>${esc(p.label)}${nameOf(p.label) ? ' · ' + esc(nameOf(p.label)) : ''}</title></circle>`).join('');
  const legend = labels.map((c, i) => `<text x="${plotW + 4}" y="${24 + i * 14}" font-size="11" fill="${colour.get(c)}">● ${esc(c)}<title>${esc(nameOf(c))}</title></text>`).join('');
  return `<svg id="latent" class="latent" viewBox="0 0 ${W} ${H}" role="img" aria-label="PCA of the latent z1">
    <rect x="${pad / 2}" y="${pad / 2}" width="${plotW - pad}" height="${H - 1.5 * pad}" fill="#fafbfc" stroke="#e3e6ea"/>${dots}${legend}
    <text x="${plotW / 2}" y="${H - 6}" font-size="11" text-anchor="middle" fill="#6a7384">PC1${esc(pct(ex[0]))}</text>
    <text x="10" y="${H / 2}" font-size="11" text-anchor="middle" fill="#6a7384" transform="rotate(-90 10 ${H / 2})">PC2${esc(pct(ex[1]))}</text></svg>
    <div class="muted">z1 of the training snapshot, first two principal components</div>`;
}

// ---- alerts, dead letters ------------------------------------------------------------------------------------------

async function refreshAlerts() {
  const alerts = await getJson('api/alerts?limit=50');
  setHtml($('alerts').tBodies[0], alerts.length ? alerts.map((a) => `<tr>
    <td>${esc(fmtTime(a.time))}</td><td class="kind-${esc(a.kind)}">${esc(a.kind)}${a.repeat ? ' (repeat)' : ''}</td>
    <td><a href="${esc(a.link)}">${esc(a.plant)} / ${esc(a.inverter)} / ${esc(a.strings.join(','))}</a></td>
    <td>${esc(a.condition ?? '')}${a.condition && nameOf(a.condition) ? ' · ' + esc(nameOf(a.condition)) : ''}${a.sensors.length ? ' · ' + esc(fmtSensors(a.sensors)) : ''}</td><td>${fmtNum(a.confidence, 2)}</td><td>${fmtNum(a.elbo, 1)}</td>
    <td>${esc(fmtTime(a.from))}</td><td>${esc(fmtTime(a.to))}</td></tr>`).join('') : '<tr><td colspan="8" class="empty">no alerts</td></tr>');
}

async function refreshDeadLetters() {
  const rows = await getJson('api/deadletters?limit=50');
  setHtml($('deadletters').tBodies[0], rows.length ? rows.map((d) => `<tr>
    <td>${esc(fmtTime(d.received))}</td><td>${esc(d.reason)}</td><td>${esc(d.topic)}</td><td>${esc(d.message)}</td>
    <td><code>${esc(d.payload.slice(0, 200))}</code></td></tr>`).join('') : '<tr><td colspan="5" class="empty">no dead letters</td></tr>');
}

// ---- the loop ------------------------------------------------------------------------------------------------------

let refreshing = false;
let conditionsLoaded = false;
async function refreshAll() {
  if (refreshing) return;
  refreshing = true;
  try {
    await loadRole();
    if (!conditionsLoaded) { await loadConditions(); conditionsLoaded = conditionNames.size > 0; }
    await refreshOverview();
    const panels = [['Strings', refreshStrings], ['Alerts', refreshAlerts], ['Dead letters', refreshDeadLetters], ['Anomalies', refreshAnomalies],
      ['Labels', refreshLabels], ['Retraining', refreshRetrain], ['Models', refreshModels]];
    const results = await Promise.allSettled(panels.map(([, f]) => f()));
    await refreshHistory().catch((e) => { results.push({ status: 'rejected', reason: e }); panels.push(['History']); });
    const failed = results.findIndex((r) => r.status === 'rejected');
    $('message').textContent = failed < 0 ? '' : `${panels[failed][0]}: ${messageOf(results[failed].reason)}`;
  } catch (e) {
    $('ready').textContent = 'offline';
    $('ready').className = 'badge bad';
    $('message').textContent = messageOf(e);
  } finally {
    refreshing = false;
  }
}

function wire() {
  $('strings').addEventListener('click', (ev) => { const card = ev.target.closest('.card'); if (card) selectString(card); });
  $('anomalies').tBodies[0].addEventListener('click', (ev) => { const row = ev.target.closest('tr[data-key]'); if (row) selectEpisode(row.dataset.key); });
  $('anomaly-status').addEventListener('change', () => refreshAnomalies().catch((e) => { $('message').textContent = 'Anomalies: ' + messageOf(e); }));
  $('label-condition').addEventListener('change', onConditionChange);
  $('label-form').addEventListener('submit', submitLabel);
  $('labels').tBodies[0].addEventListener('click', (ev) => { const b = ev.target.closest('button[data-delete]'); if (b) deleteLabel(b.dataset.delete); });
  $('retrain-form').addEventListener('submit', startRetrain);
  $('retrain-cancel').addEventListener('click', cancelRetrain);
  $('models').tBodies[0].addEventListener('click', (ev) => {
    const b = ev.target.closest('button[data-activate]');
    if (b) { activateModel(b.dataset.activate); return; }
    const row = ev.target.closest('tr[data-version]');
    if (row) showModel(row.dataset.version);
  });
  const changeToken = (ev) => {
    ev.preventDefault();
    sessionStorage.removeItem(TOKEN_KEY);
    setReadOnly(false);
    roleKnownFor = undefined;
    askToken('').then(() => refreshAll());
  };
  $('token-change').addEventListener('click', changeToken);
  $('role-change').addEventListener('click', changeToken);
  wireChartSelection();
}

wire();
refreshAll();
setInterval(refreshAll, 2000);
