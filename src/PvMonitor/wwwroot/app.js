// PvMonitor operator page: polls the /api endpoints every 2 s and draws plain DOM and SVG (no libraries, no CDN).
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
// An anomaly wins over the class: the ELBO says the model does not know this state, so its closest class is only a hint.
const stateOf = (s) => s.night ? 'night' : s.anomaly ? 'anomaly' : s.fault ? 'fault' : 'normal';
// Condition names and descriptions from /api/conditions, loaded once.
let conditionNames = new Map();
const nameOf = (code) => conditionNames.get(code)?.name ?? '';
async function loadConditions() {
  try {
    const list = await getJson('api/conditions');
    conditionNames = new Map(list.map((c) => [c.code, c]));
  } catch (e) { /* older worker or no token yet: codes alone */ }
}

// With Api:RequireAuth the API wants "Authorization: Bearer TOKEN": asked once, kept in this browser's localStorage.
let asking = null;
async function getJson(path) {
  for (let attempt = 0; attempt < 2; attempt++) {
    const token = localStorage.getItem('pvmonitor.token');
    const r = await fetch(path, { cache: 'no-store', headers: token ? { Authorization: 'Bearer ' + token } : {} });
    if (r.status === 401 && attempt === 0) {
      asking = asking || Promise.resolve(window.prompt('This PvMonitor needs an API token (ask your administrator):'));
      const entered = await asking;
      asking = null;
      if (!entered) throw new Error(path + ': 401 (no API token)');
      localStorage.setItem('pvmonitor.token', entered.trim());
      continue;
    }
    if (!r.ok) throw new Error(path + ': ' + r.status);
    return r.json();
  }
  throw new Error(path + ': 401 (token refused)');
}

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
  ];
  $('summary').innerHTML = items.map(([k, v]) => `<div><dt>${esc(k)}</dt><dd>${esc(v)}</dd></div>`).join('');
}

async function refreshStrings() {
  const strings = await getJson('api/strings');
  if (!selected && strings.length) selected = { plant: strings[0].plant, inverter: strings[0].inverter, string: strings[0].string };
  const grid = $('strings');
  if (!strings.length) { grid.innerHTML = '<div class="empty">no telemetry yet</div>'; return; }
  grid.innerHTML = strings.map((s) => {
    const isSel = selected && s.plant === selected.plant && s.inverter === selected.inverter && s.string === selected.string;
    return `<div class="card ${stateOf(s)}${isSel ? ' selected' : ''}" data-plant="${esc(s.plant)}" data-inverter="${esc(s.inverter)}" data-string="${esc(s.string)}">
      <div class="name">${esc(s.plant)} / ${esc(s.inverter)} / ${esc(s.string)}</div>
      <div class="cond" title="${esc(conditionNames.get(s.condition)?.description ?? '')}">${s.anomaly && !s.night
        ? `unknown state (anomaly) <small>closest: ${esc(s.condition)}${nameOf(s.condition) ? ' · ' + esc(nameOf(s.condition)) : ''}</small>`
        : `${esc(s.condition)}${nameOf(s.condition) ? ' <small>' + esc(nameOf(s.condition)) + '</small>' : ''}`}</div>
      <div class="meta">p=${fmtNum(s.confidence, 2)} · ELBO ${fmtNum(s.elbo, 1)}</div>
      <div class="meta">${esc(fmtTime(s.time))}</div></div>`;
  }).join('');
  for (const card of grid.querySelectorAll('.card')) {
    card.onclick = () => {
      selected = { plant: card.dataset.plant, inverter: card.dataset.inverter, string: card.dataset.string };
      linkFrom = null;
      const q = new URLSearchParams({ plant: selected.plant, inverter: selected.inverter, strings: selected.string });
      history.replaceState(null, '', '?' + q.toString());
      refreshAll();
    };
  }
}

// "V -7.2, I 3.1" from [{sensor, z}, ...].
const fmtSensors = (list) => list.map((s) => `${s.sensor} ${fmtNum(s.z, 1)}`).join(', ');

// The n sensors of a {sensor: z} map with the largest |z|, formatted.
function topSensors(z, n) {
  return fmtSensors(Object.entries(z).filter(([, v]) => v !== null).map(([sensor, v]) => ({ sensor, z: v }))
    .sort((a, b) => Math.abs(b.z) - Math.abs(a.z)).slice(0, n));
}

async function refreshHistory() {
  if (!selected) return;
  const range = linkFrom ? `&from=${encodeURIComponent(linkFrom)}` : '';
  const h = await getJson(`api/strings/${encodeURIComponent(selected.plant)}/${encodeURIComponent(selected.inverter)}/${encodeURIComponent(selected.string)}/history?hours=6${range}`);
  $('history-title').textContent = linkFrom
    ? `${h.plant} / ${h.inverter} / ${h.string} — 6 h around the alert from ${fmtTime(linkFrom)}`
    : `${h.plant} / ${h.inverter} / ${h.string} — last 6 h of samples`;
  const svg = $('history');
  const W = 1000, H = 260, top = 10, band = 26, plotH = H - band - top - 20;
  if (!h.telemetry.length) { svg.innerHTML = ''; return; }
  const t0 = Date.parse(h.telemetry[0].time), t1 = Date.parse(h.telemetry[h.telemetry.length - 1].time) + 1;
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
  svg.innerHTML = parts.join('');
  const lastAnomaly = [...h.conditions].reverse().find((c) => c.anomaly && !c.night && c.z);
  $('history-legend').textContent = 'Band: classified condition per sample (green normal, red fault, orange anomaly, grey night); hover for details. Orange ticks: ELBO below the model threshold.'
    + (lastAnomaly ? ` Latest anomaly ${fmtTime(lastAnomaly.time)}: sensors that look most wrong (reconstruction z-score) ${topSensors(lastAnomaly.z, 3)}.` : '');
}

async function refreshAlerts() {
  const alerts = await getJson('api/alerts?limit=50');
  $('alerts').tBodies[0].innerHTML = alerts.length ? alerts.map((a) => `<tr>
    <td>${esc(fmtTime(a.time))}</td><td class="kind-${esc(a.kind)}">${esc(a.kind)}${a.repeat ? ' (repeat)' : ''}</td>
    <td><a href="${esc(a.link)}">${esc(a.plant)} / ${esc(a.inverter)} / ${esc(a.strings.join(','))}</a></td>
    <td>${esc(a.condition ?? '')}${a.condition && nameOf(a.condition) ? ' · ' + esc(nameOf(a.condition)) : ''}${a.sensors.length ? ' · ' + esc(fmtSensors(a.sensors)) : ''}</td><td>${fmtNum(a.confidence, 2)}</td><td>${fmtNum(a.elbo, 1)}</td>
    <td>${esc(fmtTime(a.from))}</td><td>${esc(fmtTime(a.to))}</td></tr>`).join('') : '<tr><td colspan="8" class="empty">no alerts</td></tr>';
}

async function refreshDeadLetters() {
  const rows = await getJson('api/deadletters?limit=50');
  $('deadletters').tBodies[0].innerHTML = rows.length ? rows.map((d) => `<tr>
    <td>${esc(fmtTime(d.received))}</td><td>${esc(d.reason)}</td><td>${esc(d.topic)}</td><td>${esc(d.message)}</td>
    <td><code>${esc(d.payload.slice(0, 200))}</code></td></tr>`).join('') : '<tr><td colspan="5" class="empty">no dead letters</td></tr>';
}

async function refreshAll() {
  try {
    await refreshOverview();
    await Promise.all([refreshStrings(), refreshAlerts(), refreshDeadLetters()]);
    await refreshHistory();
  } catch (e) {
    $('ready').textContent = 'offline';
    $('ready').className = 'badge bad';
  }
}

loadConditions().then(refreshAll);
setInterval(refreshAll, 2000);
