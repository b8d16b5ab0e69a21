// The analysts' page: one question (importer, origin, product, date) answered by four calls to this server's JSON API.
'use strict';

(() => {
  const $ = (id) => document.getElementById(id);

  // Which form input a field named in a google.rpc.BadRequest belongs to, per route.
  const inputOf = {
    '/v1/duty:lookup': { importer: 'importer', origin: 'origin', hs_code: 'hs', as_of: 'on' },
    '/v1/duty:timeline': { importer: 'importer', origin: 'origin', hs_code: 'hs', start_date: 'on', end_date: 'on' },
    '/v1/exports:check': { exporter: 'origin', destination: 'importer', item: 'item', as_of: 'on' },
    '/v1/truces:status': { party_a: 'importer', party_b: 'origin', as_of: 'on' },
  };

  // The chart spans this many months either side of the date asked.
  const timelineMonths = 6;

  class ApiError extends Error {
    constructor(route, status, body) {
      super(body.message || `HTTP ${status}`);
      this.route = route;
      const badRequest = (body.details || []).find((d) => d['@type'] === 'type.googleapis.com/google.rpc.BadRequest');
      this.violations = badRequest ? badRequest.fieldViolations : [];
    }
  }

  async function post(route, body) {
    const response = await fetch(route, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    let json;
    try { json = text ? JSON.parse(text) : {}; } catch { json = { message: text }; }
    if (!response.ok) throw new ApiError(route, response.status, json);
    return json;
  }

  const toDate = (iso) => { const [year, month, day] = iso.split('-').map(Number); return { year, month, day }; };
  const iso = (d) => d ? `${String(d.year).padStart(4, '0')}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}` : '';
  const todayUtc = () => new Date().toISOString().slice(0, 10);
  const addMonths = (day, months) => { const d = new Date(`${day}T00:00:00Z`); d.setUTCMonth(d.getUTCMonth() + months); return d.toISOString().slice(0, 10); };
  const seconds = (d) => Date.UTC(d.year, d.month - 1, d.day) / 1000;
  const kind = (value, prefix) => (value || '').replace(prefix, '').replaceAll('_', ' ').toLowerCase();

  function element(tag, text, attributes = {}) {
    const node = document.createElement(tag);
    if (text !== undefined) node.textContent = text;
    for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
    return node;
  }

  function row(cells) {
    const tr = document.createElement('tr');
    for (const cell of cells) {
      const td = document.createElement('td');
      if (cell instanceof Node) td.append(cell); else td.textContent = cell;
      tr.append(td);
    }
    return tr;
  }

  function isWebUrl(text) {
    try {
      const url = new URL(text);
      return url.protocol === 'https:' || url.protocol === 'http:';
    } catch {
      return false;
    }
  }

  function sourcesCell(sources) {
    const span = document.createElement('span');
    (sources || []).forEach((source, i) => {
      if (i > 0) span.append(', ');
      // Only a web link becomes an href: a stored javascript: or data: URL stays text.
      const url = (source.urls || []).find(isWebUrl);
      span.append(url ? element('a', source.id, { href: url, title: source.title || source.id, rel: 'noopener noreferrer' }) : element('abbr', source.id, { title: source.title || '' }));
    });
    return span;
  }

  // ---- errors: every violated field is marked at its input and listed in the summary

  function clearErrors() {
    $('error').hidden = true;
    $('error').textContent = '';
    for (const input of document.querySelectorAll('#question input')) {
      input.removeAttribute('aria-invalid');
      $(`${input.id}-error`).textContent = '';
    }
  }

  function showError(error) {
    const lines = [];
    if (error instanceof ApiError && error.violations.length > 0) {
      for (const violation of error.violations) {
        const inputId = (inputOf[error.route] || {})[violation.field];
        if (inputId) {
          $(inputId).setAttribute('aria-invalid', 'true');
          // Several calls may name the same input with the same words: say it once.
          if (!$(`${inputId}-error`).textContent.includes(violation.description)) $(`${inputId}-error`).textContent += `${violation.description} `;
        }
        lines.push(`${violation.field}: ${violation.description}`);
      }
    } else {
      lines.push(error.message || String(error));
    }
    const summary = $('error');
    for (const line of lines) if (!summary.textContent.includes(line)) summary.append(element('span', line), element('br'));
    summary.hidden = false;
  }

  // ---- the four answers

  // An announced period runs from the announcement to the day the measure would take effect (its end date).
  function announcedNote(a) {
    const rate = a.adValoremPercent ? `${a.adValoremPercent}%` : (a.period?.rateDescription || 'a rate not stated');
    const takesEffect = a.period?.endDate ? `would take effect ${iso(a.period.endDate)}` : 'no date set for it to take effect';
    const announced = a.period?.startDate ? ` (announced ${iso(a.period.startDate)})` : '';
    return `Announced, not in force: ${a.measureId} at ${rate}, ${takesEffect}${announced}.`;
  }

  function renderDuty(duty) {
    $('total').textContent = duty.totalAdValoremPercent;
    $('duty-context').textContent = `on ${iso(duty.asOf)} for ${duty.hsCode}${duty.product ? ` (${duty.product.description})` : ''}, ${duty.origin} → ${duty.importer}`;
    const body = $('layers').tBodies[0];
    body.replaceChildren(...(duty.layers || []).map((l) =>
      row([l.measureId, kind(l.kind, 'TARIFF_KIND_'), l.inTotal ? l.adValoremPercent : `${l.adValoremPercent} (not in total)`, l.legalInstrument, sourcesCell(l.sources)])));
    const covered = duty.coverage?.covered === true;
    if (body.rows.length === 0) {
      body.append(row([covered ? 'No additional ad valorem duty is in force.' : 'None held: the data does not cover this request (see below).', '', '', '', '']));
    }

    // Layers on a part of the value or with a condition are not in the total: what pricing them needs comes first.
    const notes = [...(duty.pricingNotes || [])];
    for (const x of duty.excludedLayers || []) notes.push(`${x.layer.measureId} (${x.layer.adValoremPercent}%) is left out of the total: ${x.reason || `replaced by ${x.excludedByMeasureId}`}.`);
    for (const a of duty.announcedMeasures || []) notes.push(announcedNote(a));
    for (const e of duty.truceEffects || []) notes.push(`Truce: ${e.description}.`);
    $('duty-notes').replaceChildren(...notes.map((n) => element('li', n)));
    // The notice says every limit of the answer: past the reviewed horizon, outside the coverage, no MFN base rate.
    $('coverage').textContent = [
      covered ? '' : `Not covered: ${(duty.coverage?.uncovered || []).join('; ')}.`,
      `Data reviewed through ${iso(duty.coverage?.reviewedThrough)}.`,
      duty.coverage?.notice || '',
    ].filter(Boolean).join(' ');
    $('duty').hidden = false;
  }

  let chart;

  function renderTimeline(timeline, asked) {
    const segments = timeline.segments || [];
    const xs = segments.map((s) => seconds(s.startDate));
    const ys = segments.map((s) => Number(s.totalAdValoremPercent));
    if (segments.length > 0) {
      // The last step runs to the end of the range.
      xs.push(seconds(segments[segments.length - 1].endDate) - 86400);
      ys.push(ys[ys.length - 1]);
    }
    const cliffs = segments.map((s, i) => ({ segment: s, before: segments[i - 1] }))
      .filter(({ segment, before }) => before && before.totalAdValoremPercent !== segment.totalAdValoremPercent);

    $('timeline-range').textContent = `${iso(timeline.startDate)} to ${iso(timeline.endDate)}: ${cliffs.length} change${cliffs.length === 1 ? '' : 's'} of the total.`;
    $('cliffs').tBodies[0].replaceChildren(...cliffs.map(({ segment, before }) => row([
      iso(segment.startDate),
      segment.totalAdValoremPercent,
      before.totalAdValoremPercent,
      (segment.changes || []).map(describeChange).join('; '),
    ])));
    if (cliffs.length === 0) $('cliffs').tBodies[0].append(row(['The total does not change in this range.', '', '', '']));

    $('timeline').hidden = false;
    const host = $('chart');
    host.replaceChildren();
    if (chart) chart.destroy();
    const askedX = seconds(toDate(asked));
    const markers = (u) => {
      const { ctx } = u;
      ctx.save();
      const line = (x, dash, colour) => {
        const px = Math.round(u.valToPos(x, 'x', true));
        ctx.setLineDash(dash);
        ctx.strokeStyle = colour;
        ctx.lineWidth = 1.5 * devicePixelRatio;
        ctx.beginPath();
        ctx.moveTo(px, u.bbox.top);
        ctx.lineTo(px, u.bbox.top + u.bbox.height);
        ctx.stroke();
      };
      for (const { segment } of cliffs) line(seconds(segment.startDate), [6 * devicePixelRatio, 4 * devicePixelRatio], '#b3261e');
      line(askedX, [], '#1d4ed8');
      ctx.restore();
    };
    chart = new uPlot({
      width: Math.max(280, host.clientWidth),
      height: 260,
      scales: { x: { time: true }, y: { range: (u, min, max) => [0, Math.max(10, Math.ceil(max * 1.1))] } },
      series: [
        { value: (u, v) => v == null ? '' : new Date(v * 1000).toISOString().slice(0, 10) },
        { label: 'Total %', stroke: '#0f5132', width: 2, fill: 'rgba(15, 81, 50, 0.08)', paths: uPlot.paths.stepped({ align: 1 }) },
      ],
      axes: [{}, { label: '% ad valorem', size: 60 }],
      hooks: { draw: [markers] },
    }, [xs, ys], host);
  }

  function describeChange(c) {
    const what = kind(c.kind, 'TIMELINE_CHANGE_KIND_');
    const rates = (c.adValoremPercentBefore || '') !== (c.adValoremPercentAfter || '')
      ? ` ${c.adValoremPercentBefore || '–'} → ${c.adValoremPercentAfter || '–'}` : '';
    return `${c.measureId} ${what}${rates}${c.truceTermId ? ` (term ${c.truceTermId})` : ''}`;
  }

  function renderExport(check) {
    const verdict = check.prohibited ? 'Prohibited' : check.licenseRequired ? 'Licence required' : 'No licence required';
    $('export-verdict').textContent = `${verdict}: ${check.item} from ${check.exporter} to ${check.destination} on ${iso(check.asOf)}.`;
    const items = [];
    for (const c of check.controlsInForce || []) items.push(`In force: ${c.controlId} — ${c.title} (${c.legalInstrument})`);
    for (const c of check.controlsSuspended || []) items.push(`Suspended until ${iso(c.period?.suspendedUntil) || '?'}: ${c.controlId} — ${c.title}`);
    for (const c of check.controlsAnnounced || []) items.push(`Announced: ${c.controlId} — ${c.title}`);
    $('export-controls').replaceChildren(...items.map((i) => element('li', i)));
    $('export').hidden = false;
  }

  function renderTruce(status) {
    const host = $('truce-status');
    host.replaceChildren();
    const truces = status.truces || [];
    if (truces.length === 0) host.append(element('p', `No truce between ${status.partyA} and ${status.partyB} is in force on ${iso(status.asOf)}.`));
    for (const t of truces) {
      host.append(element('p', `${t.truce.id}: ${t.truce.title}`, { class: 'truce-name' }));
      host.append(element('p', `Expires ${iso(t.expiryDate)}: ${t.daysRemaining} day${t.daysRemaining === 1 ? '' : 's'} after ${iso(status.asOf)}.`, { class: 'countdown' }));
      for (const r of t.reportedExtensions || []) host.append(element('p', `Reported, not in force: extension to ${iso(r.expiryDate)} (${r.id || r.recordId || 'no instrument found'}).`));
      const resuming = t.resumingMeasures || [];
      if (resuming.length > 0) {
        host.append(element('p', `${resuming.length} measures resume when it ends, unless it is extended:`));
        const list = element('ul');
        list.append(...resuming.map((m) => element('li', `${iso(m.resumesOn)}: ${m.measureId} — ${m.description || m.title}`)));
        host.append(list);
      }
    }
    $('truce').hidden = false;
  }

  // ---- the question, from the form or a shared link

  function readForm() {
    return {
      importer: $('importer').value.trim(),
      origin: $('origin').value.trim(),
      hs: $('hs').value.trim(),
      on: $('on').value,
      item: $('item').value.trim(),
    };
  }

  function linkOf(question) {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(question)) if (value) params.set(key, value);
    return `${location.pathname}?${params}`;
  }

  async function answer(question) {
    clearErrors();
    for (const id of ['duty', 'timeline', 'export', 'truce']) $(id).hidden = true;
    $('busy').textContent = 'Asking…';
    const link = linkOf(question);
    history.replaceState(null, '', link);
    $('share').href = link;

    const asOf = question.on ? toDate(question.on) : undefined;
    const asked = question.on || todayUtc();
    const calls = [
      post('/v1/duty:lookup', { importer: question.importer, origin: question.origin, hsCode: question.hs, asOf }).then(renderDuty),
      post('/v1/duty:timeline', {
        importer: question.importer, origin: question.origin, hsCode: question.hs,
        startDate: toDate(addMonths(asked, -timelineMonths)), endDate: toDate(addMonths(asked, timelineMonths)),
        // The chart needs totals and changes only: the small view.
        view: 'DUTY_VIEW_BASIC',
      }).then((t) => renderTimeline(t, asked)),
      post('/v1/truces:status', { partyA: question.importer, partyB: question.origin, asOf }).then(renderTruce),
    ];
    // The export check runs the other way: goods leave the origin for the importer.
    if (question.item) calls.push(post('/v1/exports:check', { exporter: question.origin, destination: question.importer, item: question.item, asOf }).then(renderExport));

    const results = await Promise.allSettled(calls);
    for (const failed of results.filter((r) => r.status === 'rejected')) showError(failed.reason);
    $('busy').textContent = results.some((r) => r.status === 'rejected') ? 'Some answers failed: see the messages above.' : 'Answered.';
  }

  function fromLink() {
    const params = new URLSearchParams(location.search);
    for (const key of ['importer', 'origin', 'hs', 'on', 'item']) if (params.has(key)) $(key).value = params.get(key);
    return params.has('hs');
  }

  // Search as you type: words (not a code) offer the best-matching HS 2022 products as the input's suggestions.
  let searchTimer;
  let searchGeneration = 0;
  $('hs').addEventListener('input', () => {
    clearTimeout(searchTimer);
    const query = $('hs').value.trim();
    if (query.length < 3 || !/[a-z]/i.test(query)) return;
    searchTimer = setTimeout(async () => {
      const generation = ++searchGeneration;
      try {
        const response = await fetch(`/v1/products:search?${new URLSearchParams({ query, pageSize: '8' })}`, { headers: { accept: 'application/json' } });
        if (!response.ok || generation !== searchGeneration) return;
        const found = await response.json();
        $('hs-options').replaceChildren(...(found.products || []).map((p) => element('option', `${p.hsCode} — ${p.description}`, { value: p.hsCode })));
      } catch {
        // Suggestions are a convenience: a failed search leaves the typed text as it is.
      }
    }, 250);
  });

  $('question').addEventListener('submit', (event) => {
    event.preventDefault();
    answer(readForm());
  });
  window.addEventListener('resize', () => {
    if (chart) chart.setSize({ width: Math.max(280, $('chart').clientWidth), height: 260 });
  });
  if (fromLink()) answer(readForm());
})();
