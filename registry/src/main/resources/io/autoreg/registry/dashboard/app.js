'use strict';
// The registry dashboard: plain browser JavaScript over the public /v1.0 API, no build step.
// Membership is live through the events feed (a long poll with wait= and a marker); heartbeat ages come
// from a paced background re-read of the lists (heartbeats write no events), merged in place.
(() => {
  const PAGE = 1000;               // the API's largest page
  const WAIT_SECONDS = 25;         // long poll; the server holds at most 60 s
  const EVENTS_KEPT = 500;         // events shown; older ones are counted and said to be left out
  const GONE_KEPT_MS = 5 * 60_000; // an expired or deregistered instance stays visible (greyed) this long
  const ROW_HEIGHT = 28;           // px, fixed so the services list can be virtual
  const LIST_LIMIT = 1000;         // rows rendered in the small tables before saying "truncated"

  const $ = id => document.getElementById(id);
  const el = (tag, cls, text) => {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  };

  // ---------- time ----------
  let clockOffset = 0; // server time − browser time, from the Date header, when they differ by > 1.5 s
  const now = () => Date.now() + clockOffset;
  function span(ms) {
    const s = Math.max(0, Math.round(ms / 1000));
    if (s < 60) return s + 's';
    const m = Math.floor(s / 60);
    if (m < 60) return m + 'm ' + (s % 60) + 's';
    const h = Math.floor(m / 60);
    if (h < 48) return h + 'h ' + (m % 60) + 'm';
    return Math.floor(h / 24) + 'd ' + (h % 24) + 'h';
  }
  const ago = t => t == null ? '—' : span(now() - t) + ' ago';
  const clock = t => new Date(t).toLocaleTimeString();

  // ---------- state of the current connection ----------
  let conn = null;
  const fresh = (tenant, token) => ({
    tenant, token, abort: new AbortController(), alive: true,
    services: new Map(), sessions: new Map(), config: new Map(), limits: null,
    events: [], eventsSeen: 0, lastEventId: null, joins: new Map(), departed: new Map(),
    rows: [], rowsDirty: true, tags: new Map(), listComplete: false, lastGood: null, timers: [],
  });

  class ApiFault extends Error {
    constructor(status, body) {
      super((body && body.message) || ('HTTP ' + status));
      this.status = status; this.type = body && body.type; this.details = body && body.details;
    }
  }
  class Unreachable extends Error {}

  async function api(c, path) {
    const headers = {};
    if (c.token) headers['X-Auth-Token'] = c.token;
    let r;
    const sent = Date.now();
    try {
      r = await fetch('/v1.0/' + encodeURIComponent(c.tenant) + path, { headers, signal: c.abort.signal, cache: 'no-store' });
    } catch (e) {
      if (e.name === 'AbortError') throw e;
      throw new Unreachable('registry unreachable (' + e.message + ')');
    }
    // Only a quick answer dates the server's clock: a long poll's Date is from the end of its wait.
    if (Date.now() - sent < 1000) noteServerClock(r, sent);
    let body = null;
    try { body = await r.json(); } catch (e) { if (e.name === 'AbortError') throw e; body = null; }
    if (!r.ok) throw new ApiFault(r.status, body);
    return body;
  }

  function noteServerClock(r, sent) {
    const date = Date.parse(r.headers.get('Date') || '');
    if (!isNaN(date)) {
      const skew = date + 500 - (sent + Date.now()) / 2; // the header has whole seconds
      clockOffset = Math.abs(skew) > 1500 ? skew : 0;
    }
  }

  /** Every page of a list, following next_marker; onPage sees each page as it arrives. */
  async function allPages(c, path, onPage) {
    let marker = null;
    const sep = path.includes('?') ? '&' : '?';
    for (;;) {
      const body = await api(c, path + sep + 'limit=' + PAGE + (marker ? '&marker=' + encodeURIComponent(marker) : ''));
      onPage(body.values);
      marker = body.metadata && body.metadata.next_marker;
      if (!marker) return;
    }
  }

  // ---------- services ----------
  function instanceOf(s, previous) {
    const md = s.metadata || {};
    const host = md.host || md.address || md.ip || null;
    const port = md.port || null;
    const address = host ? (host.includes(':') && !host.startsWith('[') ? '[' + host + ']' : host) + (port ? ':' + port : '')
                         : (port ? ':' + port : '—');
    const tags = s.tags || [];
    return {
      id: s.id, name: md.service_name || md.name || s.id, address, tags, metadata: md,
      timeout: s.heartbeat_timeout || null, sessionId: s.session_id || null,
      lastSeen: s.last_seen != null ? s.last_seen : (previous ? previous.lastSeen : null),
      readAt: now(),
      addedAt: previous ? previous.addedAt : Date.now(),
      gone: null, // {type, at, noticed} once removed or expired
      search: (s.id + ' ' + (md.service_name || '') + ' ' + address + ' ' + tags.join(' ') + ' ' +
               Object.entries(md).map(([k, v]) => k + '=' + v).join(' ')).toLowerCase(),
    };
  }

  /** The last heartbeat (or, before the first, the registration) and the deadline that follows from it. */
  function lease(c, inst) {
    let timeout = inst.timeout, seen = inst.lastSeen;
    if (inst.sessionId) {
      const session = c.sessions.get(inst.sessionId);
      if (session) { timeout = session.heartbeat_timeout; seen = session.last_seen != null ? session.last_seen : seen; }
    }
    const since = seen != null ? seen : c.joins.get(inst.id);
    return { since, seen, timeout, deadline: since != null && timeout ? since + timeout * 1000 : null };
  }

  /**
   * passing: heartbeats on schedule; late: when last read, more of the timeout had gone by than a client's
   * heartbeat interval (0.6×T below 15 s, 0.8×T above, as the clients beat) plus a second; gone: expired or
   * deregistered. Judged at the read, not now: between re-reads a heartbeat is invisible, not missing.
   */
  function status(c, inst) {
    if (inst.gone) return 'gone';
    const l = lease(c, inst);
    if (l.since == null || !l.timeout) return 'passing';
    const interval = l.timeout * (l.timeout < 15 ? 0.6 : 0.8) * 1000 + 1000;
    return inst.readAt - l.since > interval ? 'late' : 'passing';
  }

  function unchanged(inst, s) {
    const tags = s.tags || [], md = s.metadata || {};
    if (inst.tags.length !== tags.length || inst.tags.some((t, i) => t !== tags[i])) return false;
    if ((inst.sessionId || null) !== (s.session_id || null) || (inst.timeout || null) !== (s.heartbeat_timeout || null)) return false;
    const keys = Object.keys(md);
    return keys.length === Object.keys(inst.metadata).length && keys.every(k => inst.metadata[k] === md[k]);
  }

  function upsertService(c, s, listedSince) {
    const previous = c.services.get(s.id);
    // A list read before a removal arrived must not bring the instance back.
    if (listedSince != null && previous && previous.gone && previous.gone.noticed >= listedSince) return;
    // A re-read mostly brings new heartbeat times only: keep the instance, skip rebuilding its search text.
    if (previous && !previous.gone && unchanged(previous, s)) {
      if (s.last_seen != null) previous.lastSeen = s.last_seen;
      previous.readAt = now();
      return;
    }
    const inst = instanceOf(s, previous);
    c.services.set(s.id, inst);
    if (!previous || previous.name !== inst.name || previous.gone || previous.tags.join() !== inst.tags.join()) c.rowsDirty = true;
  }

  // ---------- events ----------
  /**
   * While catching up (the feed's last hour, before the lists are read) an event only notes the join time or the
   * departure: the lists that follow are the truth for who is there, and building each instance twice would
   * double the first load of a big fleet.
   */
  function applyEvent(c, e, catchingUp) {
    c.eventsSeen++;
    c.events.push(e); // oldest first, as the feed; trimmed in batches so a burst of events costs no copying each
    if (c.events.length > 2 * EVENTS_KEPT) c.events.splice(0, c.events.length - EVENTS_KEPT);
    const p = e.payload || {};
    switch (e.type) {
      case 'service.join':
        c.joins.set(p.id, e.timestamp);
        if (catchingUp) { c.departed.delete(p.id); break; }
        upsertService(c, Object.assign({}, p, { last_seen: null }));
        c.services.get(p.id).lastSeen = null;
        break;
      case 'service.remove':
      case 'service.timeout': {
        const type = e.type === 'service.timeout' ? 'expired' : 'deregistered';
        if (catchingUp) { c.departed.set(p.id, { payload: p, type, at: e.timestamp }); break; }
        const inst = c.services.get(p.id);
        if (inst && !inst.gone) {
          inst.gone = { type, at: e.timestamp, noticed: Date.now() };
          c.rowsDirty = true;
        }
        break;
      }
      case 'configuration_value.update': c.config.set(p.configuration_value_id, p.new_value); c.configDirty = true; break;
      case 'configuration_value.remove': c.config.delete(p.configuration_value_id); c.configDirty = true; break;
    }
  }

  /** The events of the feed's window (its last hour), page by page; ends at the newest: the marker to follow. */
  async function loadRecentEvents(c) {
    await allPages(c, '/events', values => { for (const e of values) { applyEvent(c, e, true); c.lastEventId = e.id; } });
  }

  /** Instances that left shortly before connecting stay visible as gone, like those that leave while watching. */
  function showRecentDepartures(c) {
    for (const [id, d] of c.departed) {
      if (c.services.has(id) || now() - d.at > GONE_KEPT_MS) continue;
      const inst = instanceOf(d.payload, null);
      inst.gone = { type: d.type, at: d.at, noticed: Date.now() };
      c.services.set(id, inst);
    }
    c.departed.clear();
    c.rowsDirty = true;
  }

  async function followEvents(c) {
    while (c.alive) {
      try {
        const marker = c.lastEventId ? '&marker=' + encodeURIComponent(c.lastEventId) : '';
        const body = await api(c, '/events?limit=' + PAGE + '&wait=' + WAIT_SECONDS + marker);
        // The marker is inclusive: drop what was seen already.
        for (const e of body.values) {
          if (c.lastEventId && e.id.toLowerCase() <= c.lastEventId.toLowerCase()) continue;
          applyEvent(c, e);
          c.lastEventId = e.id;
        }
        good(c);
        if (body.values.length) scheduleRender();
      } catch (e) {
        if (!c.alive || e.name === 'AbortError') return;
        failed(c, e);
        return;
      }
    }
  }

  // ---------- loading ----------
  /** Every page of the lists; services are merged page by page, so a big fleet costs no single long task. */
  async function loadLists(c) {
    const started = Date.now();
    const sessions = new Map(), listed = new Set(), config = new Map();
    await allPages(c, '/sessions', v => v.forEach(s => sessions.set(s.id, s)));
    c.sessions = sessions;
    await allPages(c, '/services', v => { for (const s of v) { listed.add(s.id); upsertService(c, s, started); } });
    c.limits = await api(c, '/limits');
    await allPages(c, '/configuration', v => v.forEach(x => config.set(x.id, x.value)));
    if (!c.alive) return;
    c.config = config; c.configDirty = true;
    // A complete list is the truth: an instance it lacks is gone even if its event was not seen
    // (unless it joined while the list was being read).
    for (const inst of c.services.values()) {
      if (!inst.gone && !listed.has(inst.id) && inst.addedAt < started) {
        inst.gone = { type: 'not listed', at: now(), noticed: Date.now() };
        c.rowsDirty = true;
      }
    }
    c.listComplete = true;
    good(c);
  }

  /**
   * Re-reads the lists for heartbeat ages, paced by their size (15 s, or 3 s per 1,000 services, at most 60 s):
   * each read counts against the tenant's request rate, which a dashboard left open for days must not eat up.
   * A hidden tab skips its turns and catches up when shown again.
   */
  const resyncDelay = c => Math.min(60_000, Math.max(15_000, c.services.size * 3));

  function scheduleResync(c) {
    clearTimeout(c.resyncTimer); // one pending re-read at a time, also when a shown tab asked for one early
    c.resyncTimer = setTimeout(() => resync(c), resyncDelay(c));
  }

  async function resync(c) {
    if (!c.alive || c.resyncing) return;
    if (document.hidden) { c.resyncDue = true; return; }
    c.resyncing = true;
    c.resyncDue = false;
    try {
      await loadLists(c);
      c.lastResync = Date.now();
      scheduleRender();
      scheduleResync(c);
    } catch (e) {
      if (c.alive && e.name !== 'AbortError') failed(c, e);
    } finally {
      c.resyncing = false;
    }
  }

  async function connect() {
    const tenant = $('tenant').value.trim() || 'default';
    const token = $('token').value;
    localStorage.setItem('autoreg.tenant', tenant);
    sessionStorage.setItem('autoreg.token', token);
    const same = conn && conn.tenant === tenant;
    const lastGood = same ? conn.lastGood : null, unreachableSince = same ? conn.unreachableSince : null;
    stop();
    const c = conn = fresh(tenant, token);
    c.lastGood = lastGood;
    c.unreachableSince = unreachableSince;
    clearView();
    setLive('loading…', 'off');
    try {
      const t0 = performance.now();
      await loadRecentEvents(c);
      await loadLists(c);
      if (!c.alive) return;
      showRecentDepartures(c);
      c.unreachableSince = null;
      hideError();
      setLive('live', 'on');
      render(true);
      c.loadMillis = Math.round(performance.now() - t0);
      render(false);
      followEvents(c);
      scheduleResync(c);
    } catch (e) {
      if (c.alive && e.name !== 'AbortError') failed(c, e);
    }
  }

  function stop() {
    if (!conn) return;
    conn.alive = false;
    conn.abort.abort();
    conn.timers.forEach(clearTimeout);
    clearTimeout(conn.resyncTimer);
  }

  function good(c) { c.lastGood = Date.now(); }

  /** An error ends the connection: its rows are cleared, the fault is said, and a retry is scheduled. */
  function failed(c, e) {
    const lastGood = c.lastGood;
    const unreachableSince = e instanceof Unreachable ? c.unreachableSince || Date.now() : null;
    stop();
    clearView();
    let message, retry = true;
    if (e instanceof ApiFault && e.status === 401) {
      message = 'Authentication failed for tenant "' + c.tenant + '": ' + e.message +
                (e.details ? ' — ' + e.details : '') + '. Enter a valid token.';
      retry = false;
    } else if (e instanceof ApiFault && e.status === 403) {
      message = 'Forbidden: the token is not valid for tenant "' + c.tenant + '" (' + e.message + ').';
      retry = false;
    } else if (e instanceof ApiFault && e.status === 404 && e.type === 'notFoundError') {
      message = 'Not found: ' + e.message + (e.details ? ' — ' + e.details : '');
      retry = false;
    } else if (e instanceof ApiFault) {
      message = 'Registry error ' + e.status + ': ' + e.message + (e.details ? ' — ' + e.details : '');
    } else if (e instanceof Unreachable) {
      message = 'Registry unreachable since ' + clock(unreachableSince) + '; last good update ' +
                (lastGood ? 'at ' + clock(lastGood) + ' (' + span(Date.now() - lastGood) + ' ago)' : ': none') + '. Retrying…';
    } else {
      message = 'Dashboard error: ' + e.message;
    }
    showError(message);
    setLive(retry ? 'retrying' : 'stopped', 'bad');
    conn = fresh(c.tenant, c.token);
    conn.alive = false;
    conn.lastGood = lastGood;
    conn.unreachableSince = unreachableSince;
    if (retry) {
      const t = setTimeout(() => { if (conn && !conn.alive && conn.tenant === c.tenant) connect(); }, 3000);
      conn.timers.push(t);
    }
  }

  // ---------- rendering ----------
  let renderQueued = false;
  function scheduleRender() {
    if (renderQueued) return;
    renderQueued = true;
    requestAnimationFrame(() => { renderQueued = false; render(false); });
  }

  function clearView() {
    $('svc-rows').replaceChildren();
    $('svc-spacer').style.height = '0px';
    ['events', 'sessions', 'limits'].forEach(id => $(id).replaceChildren());
    $('config').replaceChildren();
    ['svc-counts', 'svc-shown', 'ev-counts', 'se-counts', 'cfg-counts', 'limits-tenant', 'updated'].forEach(id => $(id).textContent = '');
    const tagSelect = $('tag-filter');
    while (tagSelect.options.length > 1) tagSelect.remove(1);
  }

  function filtered(c) {
    const q = $('search').value.trim().toLowerCase();
    const tag = $('tag-filter').value;
    const wanted = $('status-filter').value;
    const groups = new Map();
    const t = now();
    for (const inst of c.services.values()) {
      if (inst.gone && t - inst.gone.at > GONE_KEPT_MS) { c.services.delete(inst.id); continue; }
      if (q && !inst.search.includes(q)) continue;
      if (tag && !inst.tags.includes(tag)) continue;
      if (wanted && status(c, inst) !== wanted) continue;
      let g = groups.get(inst.name);
      if (!g) groups.set(inst.name, g = []);
      g.push(inst);
    }
    const rows = [];
    let shown = 0;
    for (const name of [...groups.keys()].sort()) {
      const members = groups.get(name).sort((a, b) => a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
      rows.push({ group: name, members });
      for (const m of members) rows.push({ inst: m });
      shown += members.length;
    }
    return { rows, shown, groups: groups.size };
  }

  function render(all) {
    const c = conn;
    if (!c || !c.alive) return;
    if (c.rowsDirty || all) {
      c.rowsDirty = false;
      const f = filtered(c);
      c.rows = f.rows; c.shown = f.shown; c.groupCount = f.groups;
      $('svc-spacer').style.height = (c.rows.length * ROW_HEIGHT) + 'px';
      renderTags(c);
    }
    renderCounts(c);
    renderVisibleRows(c);
    renderEvents(c);
    if (all || c.configDirty) { renderConfig(c); c.configDirty = false; }
    renderSessions(c);
    renderLimits(c);
    $('updated').textContent = 'tenant ' + c.tenant + ' · last good update ' + (c.lastGood ? clock(c.lastGood) : '—') +
      (c.loadMillis != null ? ' · first load ' + c.loadMillis + ' ms' : '') +
      (clockOffset ? ' · registry clock differs by ' + span(Math.abs(clockOffset)) : '');
  }

  function renderCounts(c) {
    let passing = 0, late = 0, gone = 0;
    const names = new Set();
    for (const inst of c.services.values()) {
      const s = status(c, inst);
      if (s === 'passing') passing++; else if (s === 'late') late++; else gone++;
      if (!inst.gone) names.add(inst.name);
    }
    $('svc-counts').textContent = (passing + late) + ' live instances of ' + names.size + ' services · ' +
      passing + ' passing · ' + late + ' late · ' + gone + ' gone (kept ' + span(GONE_KEPT_MS) + ')' +
      (c.listComplete ? '' : ' · list incomplete');
    $('svc-shown').textContent = 'showing ' + (c.shown || 0) + ' instances in ' + (c.groupCount || 0) + ' groups';
  }

  function renderTags(c) {
    const counts = new Map();
    for (const inst of c.services.values()) for (const t of inst.tags) counts.set(t, (counts.get(t) || 0) + 1);
    const select = $('tag-filter');
    const current = select.value;
    const key = [...counts.keys()].sort().map(t => t + counts.get(t)).join('|');
    if (key === c.tagKey) return;
    c.tagKey = key;
    while (select.options.length > 1) select.remove(1);
    for (const t of [...counts.keys()].sort()) {
      const o = el('option', null, t + ' (' + counts.get(t) + ')');
      o.value = t;
      select.add(o);
    }
    select.value = counts.has(current) ? current : '';
  }

  /**
   * Only the rows in view (plus a margin) exist in the page: 10,000 instances cost ~60 DOM rows. Rows are kept
   * and updated in place while the same instances stay in view, so a selection or a hover survives the ticks.
   */
  function renderVisibleRows(c) {
    const scroller = $('svc-scroll');
    const first = Math.max(0, Math.floor(scroller.scrollTop / ROW_HEIGHT) - 10);
    const last = Math.min(c.rows.length, Math.ceil((scroller.scrollTop + scroller.clientHeight) / ROW_HEIGHT) + 10);
    const box = $('svc-rows');
    box.style.transform = 'translateY(' + (first * ROW_HEIGHT) + 'px)';
    const wanted = c.rows.slice(first, last);
    const keys = wanted.map(rowKey);
    const current = [...box.children];
    if (current.length !== keys.length || current.some((e, i) => e.dataset.key !== keys[i])) {
      const kept = new Map(current.map(e => [e.dataset.key, e]));
      box.replaceChildren(...keys.map(k => kept.get(k) || newRow(k)));
    }
    [...box.children].forEach((e, i) => fillRow(c, e, wanted[i]));
  }

  const rowKey = row => row.group != null ? 'g:' + row.group : 'i:' + row.inst.id;
  const setText = (e, text) => { if (e.textContent !== text) e.textContent = text; };

  function newRow(key) {
    const d = el('div');
    d.dataset.key = key;
    if (key.startsWith('g:')) {
      d.append(el('span', 'name'), el('span', 'muted'));
    } else {
      d.append(el('span', 'id'), el('span', 'addr'), el('span'), el('span', 'seen'), el('span', 'expires'), el('span', 'tags'));
      d.children[2].append(el('span', 'st'));
    }
    return d;
  }

  function fillRow(c, d, row) {
    if (row.group != null) {
      const live = row.members.filter(m => !m.gone).length;
      d.className = 'row group';
      d.dataset.group = row.group;
      setText(d.children[0], row.group);
      setText(d.children[1], live + ' live' + (row.members.length > live ? ', ' + (row.members.length - live) + ' gone' : '') +
        ' · ' + row.members.length + ' shown');
      return;
    }
    const inst = row.inst;
    const st = status(c, inst);
    const cls = 'row inst svc-cols ' + st;
    if (d.className !== cls) d.className = cls;
    d.dataset.id = inst.id;
    d.dataset.status = st;
    const [id, addr, stCell, seen, expires, tags] = d.children;
    setText(id, inst.id);
    setText(addr, inst.address);
    const badge = stCell.firstChild;
    badge.className = 'st ' + st;
    setText(badge, st);
    stCell.title = inst.gone ? inst.gone.type + ' at ' + clock(inst.gone.at) : '';
    const l = lease(c, inst);
    if (inst.gone) {
      setText(seen, inst.gone.type);
      setText(expires, span(now() - inst.gone.at) + ' ago');
    } else {
      const left = l.deadline == null ? null : l.deadline - now();
      if (left != null && left < -1500) {
        // Past the deadline read last, yet no expiry came through the live feed (the registry expires within
        // a second): a heartbeat arrived after that read. Its exact time comes with the next re-read.
        setText(seen, '< ' + span(now() - inst.readAt) + ' ago');
        setText(expires, 'renewed');
      } else {
        setText(seen, l.seen == null && l.since != null ? 'joined ' + ago(l.since) : ago(l.seen));
        setText(expires, left == null ? '—' : 'in ' + span(Math.max(0, left)));
      }
    }
    const tagKey = inst.tags.join('\n');
    if (tags.dataset.tags !== tagKey || !tags.dataset.filled) {
      tags.dataset.tags = tagKey;
      tags.dataset.filled = '1';
      tags.replaceChildren(...inst.tags.map(t => el('span', 'tag', t)));
    }
    tags.title = inst.tags.join(', ') + (inst.sessionId ? ' · session ' + inst.sessionId : '');
  }

  function describe(e) {
    const p = e.payload || {};
    if (e.type.startsWith('service.')) {
      const md = p.metadata || {};
      return [p.id, (md.service_name ? md.service_name + ' ' : '') + (md.host ? md.host + (md.port ? ':' + md.port : '') : '') +
        (p.tags && p.tags.length ? ' [' + p.tags.join(', ') + ']' : '')];
    }
    if (e.type === 'configuration_value.update') return [p.configuration_value_id, (p.old_value == null ? '(new) ' : p.old_value + ' → ') + p.new_value];
    return [p.configuration_value_id, 'was ' + p.old_value];
  }

  function renderEvents(c) {
    if (c.renderedEventsSeen === c.eventsSeen && c.renderedEventsAt > Date.now() - 5000) return;
    c.renderedEventsSeen = c.eventsSeen; c.renderedEventsAt = Date.now();
    const newest = c.events.slice(-EVENTS_KEPT).reverse();
    const rows = newest.map(e => {
      const tr = el('tr', e.type === 'service.timeout' ? 'ev-timeout' : e.type === 'service.remove' ? 'ev-remove' : null);
      tr.dataset.type = e.type;
      const [id, details] = describe(e);
      tr.append(el('td', null, clock(e.timestamp) + ' (' + ago(e.timestamp) + ')'), el('td', null, e.type),
        el('td', null, id), el('td', null, details));
      return tr;
    });
    $('events').replaceChildren(...rows);
    $('ev-counts').textContent = c.eventsSeen + ' in the feed since one hour before connecting' +
      (newest.length < c.eventsSeen ? ' · showing the newest ' + newest.length + ' (older ones truncated)' : '') +
      ' · newest first';
  }

  function renderSessions(c) {
    const perSession = new Map();
    for (const inst of c.services.values()) if (inst.sessionId && !inst.gone) perSession.set(inst.sessionId, (perSession.get(inst.sessionId) || 0) + 1);
    const all = [...c.sessions.values()];
    const rows = all.slice(0, LIST_LIMIT).map(s => {
      const tr = el('tr');
      tr.append(el('td', null, s.id), el('td', null, s.heartbeat_timeout + ' s'), el('td', null, ago(s.last_seen)),
        el('td', null, String(perSession.get(s.id) || 0)), metadataCell(s.metadata));
      return tr;
    });
    $('sessions').replaceChildren(...rows);
    $('se-counts').textContent = all.length + (all.length > LIST_LIMIT ? ' · showing the first ' + LIST_LIMIT + ' (truncated)' : '');
  }

  function metadataCell(md) {
    const td = el('td');
    td.append(el('code', null, Object.entries(md || {}).map(([k, v]) => k + '=' + v).join(' ')));
    return td;
  }

  function renderLimits(c) {
    if (!c.limits) return;
    const live = [...c.services.values()].filter(i => !i.gone).length;
    const used = { service: live, session: c.sessions.size, configuration_value: c.config.size };
    const rows = [];
    for (const [name, limit] of Object.entries(c.limits.resource || {})) rows.push([name, used[name], limit, null]);
    for (const [pattern, r] of Object.entries(c.limits.rate || {})) rows.push(['requests ' + pattern, r.used, r.limit, r.window]);
    $('limits').replaceChildren(...rows.map(([name, u, limit, window]) => {
      const tr = el('tr');
      const meter = el('div', 'meter'), bar = el('div');
      const share = limit ? Math.min(1, (u || 0) / limit) : 0;
      bar.style.width = (share * 100).toFixed(1) + '%';
      if (share >= 0.9) meter.classList.add('high');
      meter.append(bar);
      const m = el('td'); m.append(meter);
      tr.append(el('td', null, name), el('td', null, u == null ? '—' : String(u)),
        el('td', null, limit + (window ? ' per ' + window : '')), m);
      return tr;
    }));
    $('limits-tenant').textContent = 'tenant ' + c.tenant;
  }

  /** Configuration ids as a tree of namespaces (read-only); plain keys sit at the root. */
  function renderConfig(c) {
    const root = { dirs: new Map(), keys: [] };
    const ids = [...c.config.keys()].sort();
    for (const id of ids.slice(0, LIST_LIMIT)) {
      const parts = id.split('/').filter(Boolean);
      let node = root;
      for (const seg of parts.slice(0, -1)) {
        if (!node.dirs.has(seg)) node.dirs.set(seg, { dirs: new Map(), keys: [] });
        node = node.dirs.get(seg);
      }
      node.keys.push([parts[parts.length - 1] || id, id]);
    }
    const build = node => {
      const ul = el('ul');
      for (const [seg, child] of node.dirs) {
        const li = el('li'), det = el('details');
        det.open = true;
        det.append(el('summary', null, seg + '/'), build(child));
        li.append(det);
        ul.append(li);
      }
      for (const [key, id] of node.keys) {
        const li = el('li');
        li.title = id;
        li.append(el('span', null, key + ' = '), el('code', null, c.config.get(id)));
        ul.append(li);
      }
      return ul;
    };
    $('config').replaceChildren(ids.length ? build(root) : el('div', 'muted', 'no configuration values'));
    $('cfg-counts').textContent = ids.length + ' values' + (ids.length > LIST_LIMIT ? ' · showing the first ' + LIST_LIMIT + ' (truncated)' : '');
  }

  function setLive(text, cls) { const l = $('live'); l.textContent = text; l.className = 'live ' + cls; }
  function showError(message) { const e = $('error'); e.textContent = message; e.hidden = false; }
  function hideError() { const e = $('error'); e.textContent = ''; e.hidden = true; }

  // ---------- wiring ----------
  async function loadInfo() {
    try {
      const r = await fetch('/dashboard/info', { cache: 'no-store' });
      if (r.ok) $('open-banner').hidden = !(await r.json()).open;
    } catch (e) {
      // The connection's own error says the registry is unreachable.
    }
  }

  $('tenant').value = localStorage.getItem('autoreg.tenant') || 'default';
  $('token').value = sessionStorage.getItem('autoreg.token') || '';
  $('connect').addEventListener('submit', ev => { ev.preventDefault(); connect(); });
  const refilter = () => { if (conn) { conn.rowsDirty = true; $('svc-scroll').scrollTop = 0; scheduleRender(); } };
  let searchTimer = null;
  $('search').addEventListener('input', () => { clearTimeout(searchTimer); searchTimer = setTimeout(refilter, 80); });
  $('tag-filter').addEventListener('change', refilter);
  $('status-filter').addEventListener('change', refilter);
  $('svc-scroll').addEventListener('scroll', () => { if (conn && conn.alive) renderVisibleRows(conn); }, { passive: true });
  document.addEventListener('visibilitychange', () => {
    if (!document.hidden && conn && conn.alive && (conn.resyncDue || Date.now() - (conn.lastResync || 0) > resyncDelay(conn))) resync(conn);
  });
  window.addEventListener('resize', () => { if (conn && conn.alive) renderVisibleRows(conn); });
  // Ages and statuses move with time; the status filter's membership too.
  // Every 10 s the list is also rebuilt, so instances gone for longer than they are kept leave it.
  let ticks = 0;
  setInterval(() => {
    if (!conn || !conn.alive) return;
    if ($('status-filter').value || ++ticks % 10 === 0) conn.rowsDirty = true;
    render(false);
  }, 1000);
  loadInfo();
  connect();
})();
