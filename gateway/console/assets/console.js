// The Vigil local console (docs/console.md). Plain ES module, no build step, no framework.
// It polls the gateway's JSON API (docs/api.md) and acts with the logged-in person's bearer
// token; the API, not this page, enforces that nobody acts anonymously. Every piece of data is
// put on the page as text (textContent), never as HTML: a device or note text cannot inject script.

const POLL_MS = 1500;
/** Trend length per point: 120 readings ≈ 3 minutes at the poll rate. */
const TREND_LENGTH = 120;
const JOURNAL_LIMIT = 100;
const RATE_WINDOW_MS = 1000;
const SESSION_KEY = 'vigil.console.session';
/** Most urgent first (ISA-18.2 priorities as the API names them). */
const PRIORITY_ORDER = ['critical', 'high', 'medium', 'low'];
/** States in which an acknowledgement is expected (the API's acknowledge applies to these). */
const WAITING_FOR_ACK = new Set(['unacknowledged', 'rtn-unacknowledged']);

const $ = (id) => document.getElementById(id);
const trends = new Map(); // "device/point" -> [{ ts, value }]
const busRates = new Map(); // bus -> { at, transactions, perSec }
let lastContact = null;

// ── small DOM helpers ───────────────────────────────────────────────────────────────────
function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') node.className = v;
    else if (k === 'on') for (const [ev, fn] of Object.entries(v)) node.addEventListener(ev, fn);
    else node.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children) if (c !== undefined && c !== null) node.append(c instanceof Node ? c : String(c));
  return node;
}
const row = (...cells) => el('tr', {}, ...cells.map((c) => el('td', {}, c)));
const fill = (tbody, rows) => tbody.replaceChildren(...rows);

function time(ts, trusted = true) {
  if (ts === null || ts === undefined) return '—';
  const d = new Date(ts);
  const today = new Date().toDateString() === d.toDateString();
  const text = today ? d.toLocaleTimeString() : d.toLocaleString();
  // A gateway without a synchronised clock: the time may be wrong, and the page says so.
  return trusted ? text : `${text} (clock not synchronised)`;
}
const who = (actor) => (actor ? (actor.name ? `${actor.name} (${actor.kind})` : actor.kind) : '—');
const valueText = (v, unit) => (v === null || v === undefined ? '—' : `${typeof v === 'number' ? Number(v.toFixed(3)) : v}${unit ? ` ${unit}` : ''}`);

// ── session (login) ─────────────────────────────────────────────────────────────────────
function session() {
  try {
    return JSON.parse(sessionStorage.getItem(SESSION_KEY) ?? 'null');
  } catch {
    return null;
  }
}
function showSession() {
  const s = session();
  $('who').textContent = s ? `Logged in as ${s.name}` : 'Not logged in';
  $('login-button').hidden = Boolean(s);
  $('logout-button').hidden = !s;
}
function openLogin(reason) {
  $('login-error').hidden = !reason;
  $('login-error').textContent = reason ?? '';
  $('login-dialog').showModal();
  $('login-name').focus();
}

async function login(event) {
  event.preventDefault();
  const name = $('login-name').value.trim();
  const token = $('login-token').value.trim();
  const fail = (text) => {
    $('login-error').textContent = text;
    $('login-error').hidden = false;
  };
  let res;
  try {
    res = await fetch('/api/whoami', { headers: { authorization: `Bearer ${token}` }, cache: 'no-store' });
  } catch (e) {
    return fail(`The gateway did not answer: ${e.message}`);
  }
  const body = await res.json().catch(() => ({}));
  if (res.status === 401) return fail('Name or token not recognised.');
  if (!res.ok) return fail(body.message ?? `The gateway answered ${res.status}.`);
  // The token names its owner; a name that does not match is refused, so the person who logs
  // in is the person the journal will name.
  if (body.name !== name) return fail(`This token does not belong to "${name}".`);
  sessionStorage.setItem(SESSION_KEY, JSON.stringify({ name, token }));
  $('login-token').value = '';
  $('login-dialog').close();
  showSession();
  say(`Logged in as ${name}.`);
}

// ── messages ────────────────────────────────────────────────────────────────────────────
function say(text, isError = false) {
  const m = $('message');
  m.textContent = text;
  m.className = isError ? 'banner error' : 'banner ok';
  m.hidden = false;
}

// ── actions ─────────────────────────────────────────────────────────────────────────────
/** POST an action as the logged-in person; shows the API's answer, refusals included. */
async function act(path, what, extra = {}) {
  const s = session();
  if (!s) return openLogin(`Log in to ${what}: nobody acts on alarms anonymously.`);
  const note = $('note').value.trim();
  let res;
  try {
    res = await fetch(path, {
      method: 'POST',
      headers: { authorization: `Bearer ${s.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ ...extra, ...(note ? { note } : {}) }),
    });
  } catch (e) {
    return say(`Could not ${what}: the gateway did not answer (${e.message}).`, true);
  }
  const body = await res.json().catch(() => ({}));
  if (res.status === 401) {
    sessionStorage.removeItem(SESSION_KEY);
    showSession();
    return openLogin(`Your token was refused (${body.message ?? 'unauthorized'}); log in again.`);
  }
  if (!res.ok) return say(`Refused: ${body.message ?? `the gateway answered ${res.status}`}`, true);
  $('note').value = '';
  say(body.message ?? `Done: ${what}.`);
  await refresh();
}

const alarmPath = (id, action) => `/api/alarms/${id.split('/').map(encodeURIComponent).join('/')}/${action}`;

/**
 * Shelving hides an alarm from the sounders, strobes and lamps until it runs out (ISA-18.2:
 * time-limited, at most 24 h, journaled). A person confirms it, naming for how long.
 */
function shelve(a) {
  const minutes = Number($('shelve-minutes').value);
  const span = minutes >= 60 ? `${minutes / 60} h` : `${minutes} min`;
  if (!window.confirm(`Shelve ${a.id} for ${span}? It will not sound or flash until then, even if it comes back.`)) return;
  return act(alarmPath(a.id, 'shelve'), `shelve ${a.id}`, { durationMinutes: minutes });
}

// ── rendering ───────────────────────────────────────────────────────────────────────────
function renderHealth(h) {
  $('site').textContent = `${h.site} · ${h.gateway} · v${h.version}`;
  $('status').textContent = h.status;
  $('status').dataset.status = h.status;
  $('reasons').replaceChildren(...(h.reasons ?? []).map((r) => el('li', {}, r)));

  fill($('bus-table').tBodies[0], h.buses.map((b) => {
    // Transactions per second, measured from the counters over at least a second (an extra
    // refresh right after an action would otherwise divide a few ms into no change).
    const prev = busRates.get(b.name);
    const now = Date.now();
    let perSec = prev?.perSec ?? null;
    if (!prev || b.transactions < prev.transactions) busRates.set(b.name, { at: now, transactions: b.transactions, perSec: null });
    else if (now - prev.at >= RATE_WINDOW_MS) {
      perSec = ((b.transactions - prev.transactions) * 1000) / (now - prev.at);
      busRates.set(b.name, { at: now, transactions: b.transactions, perSec });
    }
    const booked = b.budget === undefined ? '— (TCP: not computed)' : budgetBar(b.budget);
    return el('tr', { 'data-bus': b.name }, el('td', {}, b.name, el('div', { class: 'sub' }, b.description)), el('td', {}, b.type),
      el('td', {}, perSec === null ? '…' : perSec.toFixed(1)), el('td', {}, b.errors), el('td', {}, b.timeouts), el('td', {}, booked));
  }));
  fill($('device-table').tBodies[0], h.devices.map((d) =>
    el('tr', { 'data-device': d.name, class: d.state === 'ok' ? '' : 'bad' },
      ...[d.name, d.bus, d.unitId, d.state, time(d.lastSuccessTs, h.clock.trusted), d.lastError ?? ''].map((c) => el('td', {}, c)))));
  const o = h.outbox;
  const link = [
    ['Cloud broker', h.broker.configured ? `${h.broker.connected ? 'connected' : 'NOT connected'}${h.broker.url ? ` — ${h.broker.url}` : ''}${h.broker.lastError ? ` (${h.broker.lastError})` : ''}` : 'not configured'],
    ['Outbox', 'error' in o ? `ERROR: ${o.error}` : `${o.depth.telemetry} readings and ${o.depth.event} events waiting; ${(o.bytes / 1e6).toFixed(2)} of ${(o.budgetBytes / 1e6).toFixed(0)} MB; ${o.evicted} evicted`],
    ['Clock', h.clock.trusted ? 'synchronised' : 'NOT synchronised — times may be wrong'],
    ['Up', `${Math.floor(h.uptimeSec / 3600)} h ${Math.floor((h.uptimeSec % 3600) / 60)} min`],
  ];
  $('link').replaceChildren(...link.flatMap(([k, v]) => [el('dt', {}, k), el('dd', {}, v)]));
}

function budgetBar(pct) {
  // <meter> shows the level without inline styles (the CSP allows none); above 100 % the line cannot keep up.
  return el('span', { class: pct > 100 ? 'budget bad' : 'budget', title: 'share of the line time the site file books (vigil validate)' },
    el('meter', { min: 0, max: 100, low: 70, high: 90, optimum: 0, value: Math.min(pct, 100) }), ` ${pct} %`);
}

function renderAlarms(body) {
  const active = body.alarms
    .filter((a) => a.state !== 'normal')
    .sort((a, b) => PRIORITY_ORDER.indexOf(a.priority) - PRIORITY_ORDER.indexOf(b.priority) || (b.occurrence?.detectedTs ?? 0) - (a.occurrence?.detectedTs ?? 0));
  $('no-alarms').hidden = active.length > 0;
  $('alarm-count').textContent = body.summary.annunciating > 0 ? String(body.summary.annunciating) : '';
  $('alarm-list').replaceChildren(...active.map((a) => {
    const occ = a.occurrence;
    const buttons = [];
    if (WAITING_FOR_ACK.has(a.state)) buttons.push(el('button', { type: 'button', class: 'action', on: { click: () => act(alarmPath(a.id, 'acknowledge'), `acknowledge ${a.id}`) } }, 'Acknowledge'));
    if (a.annunciating) buttons.push(el('button', { type: 'button', class: 'action', on: { click: () => act('/api/silence', 'silence the sounders') } }, 'Silence'));
    // Reset is offered for every latching alarm; the engine refuses it while the condition is still there, and the refusal is shown.
    if (a.latch) buttons.push(el('button', { type: 'button', class: 'action', on: { click: () => act(alarmPath(a.id, 'reset'), `reset ${a.id}`) } }, 'Reset'));
    if (a.state === 'shelved') buttons.push(el('button', { type: 'button', class: 'action', on: { click: () => act(alarmPath(a.id, 'unshelve'), `unshelve ${a.id}`) } }, 'Unshelve'));
    else if (a.annunciating) buttons.push(el('button', { type: 'button', class: 'action', on: { click: () => shelve(a) } }, 'Shelve'));
    return el('li', { class: `alarm ${a.colour}`, 'data-alarm-id': a.id, 'data-state': a.state },
      el('div', { class: 'head' }, el('span', { class: 'priority' }, a.priority), ' ', el('strong', {}, a.id), ' ', el('span', { class: 'state' }, a.state)),
      el('div', { class: 'desc' }, a.description),
      el('div', { class: 'facts' },
        `value ${valueText(a.value)}${a.setpoint !== undefined ? ` (set point ${a.setpoint})` : ''}`,
        occ ? ` · since ${time(occ.detectedTs)} · peak ${valueText(occ.peakValue)}` : '',
        occ?.acknowledgedBy ? ` · acknowledged by ${who(occ.acknowledgedBy)}` : '',
        a.shelvedUntil ? ` · shelved until ${time(a.shelvedUntil)}` : ''),
      el('div', { class: 'buttons' }, ...buttons));
  }));
}

function sparkline(values) {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', '0 0 100 24');
  svg.setAttribute('class', 'spark');
  if (values.length < 2) return svg;
  const min = Math.min(...values);
  const span = Math.max(...values) - min || 1;
  const line = document.createElementNS(ns, 'polyline');
  line.setAttribute('points', values.map((v, i) => `${((i / (values.length - 1)) * 100).toFixed(1)},${(22 - ((v - min) / span) * 20).toFixed(1)}`).join(' '));
  svg.append(line);
  return svg;
}

function renderPoints(points) {
  fill($('points-table').tBodies[0], points.map((p) => {
    const key = `${p.device}/${p.point}`;
    const trend = trends.get(key) ?? [];
    if (typeof p.value === 'number' && p.quality === 'good' && trend.at(-1)?.ts !== p.ts) {
      trend.push({ ts: p.ts, value: p.value });
      if (trend.length > TREND_LENGTH) trend.shift();
      trends.set(key, trend);
    }
    return el('tr', { 'data-point': key, class: p.quality === 'good' ? '' : 'bad' },
      ...[p.device, p.point, valueText(p.value, p.unit)].map((c) => el('td', {}, c)),
      el('td', {}, sparkline(trend.map((t) => t.value))), el('td', {}, p.quality), el('td', {}, time(p.ts, p.clockTrusted)));
  }));
}

function renderInterlocks(list) {
  fill($('interlock-table').tBodies[0], list.map((i) =>
    el('tr', { 'data-interlock': i.name, class: i.state === 'ready' ? '' : 'bad' },
      ...[i.name, i.state + (i.bypassedBy ? ` by ${who(i.bypassedBy)}` : ''), i.trippedBy ?? '', i.lastError ?? ''].map((c) => el('td', {}, c)))));
}

function renderJournal(entries) {
  fill($('journal-table').tBodies[0], entries.map(({ subject, seq, event }) => {
    const d = event.data ?? {};
    return el('tr', { 'data-seq': seq, 'data-subject': subject, 'data-type': event.type },
      el('td', {}, time(event.ts, event.clockTrusted)), el('td', {}, subject), el('td', { title: event.message }, event.type),
      el('td', { class: 'actor' }, who(d.actor)), el('td', {}, d.note ?? ''));
  }));
}

// ── polling ─────────────────────────────────────────────────────────────────────────────
async function getJson(path) {
  const res = await fetch(path, { cache: 'no-store' });
  const body = await res.json();
  // /api/health answers 503 with a full report when the gateway is faulted: still data to show.
  if (!res.ok && !(path === '/api/health' && res.status === 503)) throw new Error(`${path}: ${body.message ?? res.status}`);
  return body;
}

const currentTab = () => (location.hash.replace('#', '') || 'alarms');

async function refresh() {
  try {
    const [health, points, alarms, interlocks] = await Promise.all([
      getJson('/api/health'),
      getJson('/api/points'),
      getJson('/api/alarms').catch((e) => ({ error: e })),
      getJson('/api/interlocks').catch(() => ({ interlocks: [] })),
    ]);
    renderHealth(health);
    renderPoints(points.points);
    if (alarms.error) say(`Alarms unavailable: ${alarms.error.message}`, true);
    else renderAlarms(alarms);
    renderInterlocks(interlocks.interlocks);
    // The journal is read only while it is on screen: it is the heaviest query.
    if (currentTab() === 'journal') renderJournal((await getJson(`/api/alarms/journal?limit=${JOURNAL_LIMIT}`)).entries);
    lastContact = Date.now();
    $('offline').hidden = true;
  } catch (e) {
    // A stale screen must never look live (DESIGN principle 2): say since when nothing came.
    $('offline').textContent = `No answer from the gateway${lastContact ? ` since ${time(lastContact)}` : ''} — what you see may be out of date (${e.message}).`;
    $('offline').hidden = false;
    $('status').dataset.status = 'unknown';
  }
}

function showTab() {
  const tab = currentTab();
  for (const s of document.querySelectorAll('[data-view]')) s.hidden = s.dataset.view !== tab;
  for (const a of document.querySelectorAll('[data-tab]')) a.classList.toggle('current', a.dataset.tab === tab);
  if (tab === 'journal') void refresh();
}

async function loop() {
  await refresh();
  setTimeout(loop, POLL_MS);
}

$('login-button').addEventListener('click', () => openLogin());
$('logout-button').addEventListener('click', () => {
  sessionStorage.removeItem(SESSION_KEY);
  showSession();
  say('Logged out.');
});
$('login-form').addEventListener('submit', login);
$('login-cancel').addEventListener('click', () => $('login-dialog').close());
$('ack-all').addEventListener('click', () => act('/api/alarms/acknowledge-all', 'acknowledge all alarms'));
$('silence').addEventListener('click', () => act('/api/silence', 'silence the sounders'));
window.addEventListener('hashchange', showTab);
showSession();
showTab();
void loop();
