// Executions across jobs, newest first, filtered by job and status; each opens to its attempts and responses.

import {get, query} from '../api.js';
import {h, fill, badge, link} from '../dom.js';
import {time, relative, duration} from '../format.js';
import {pagedList, PAGE} from '../paging.js';

const STATUSES = ['', 'running', 'awaiting_callback', 'succeeded', 'retry_scheduled', 'failed', 'skipped'];

function lastAttempt(execution) {
  const attempts = execution.attempts || [];
  return attempts[attempts.length - 1] || null;
}

/** Attempts of a run or a delivery: outcome, status code, error, the kept part of the response, callbacks. */
export function attemptsList(attempts) {
  return h('div', {class: 'attempts'}, attempts.map(a => h('div', {class: 'attempt'},
    h('div', {class: 'attempt-head'},
      h('strong', {}, `Attempt ${a.number}`), ' ', badge(a.outcome), ' ',
      a.status_code ? h('code', {}, `HTTP ${a.status_code}`) : null, ' ',
      h('span', {class: 'muted'}, `${time(a.started_at)} · ${duration(a.duration_ms)}`
        + (a.queued_ms ? ` · waited ${duration(a.queued_ms)} for a connection` : '')
        + (a.node_id ? ` · node ${a.node_id}` : ''))),
    a.error ? h('p', {class: 'error-text'}, a.error) : null,
    a.response_body ? h('pre', {class: 'response', 'data-test': 'response-body'}, a.response_body) : null,
    a.callback_status ? h('p', {}, 'Callback: ', badge(a.callback_status), ' ', time(a.callback_at)) : null,
    a.callback_output ? h('pre', {class: 'response'}, a.callback_output) : null)));
}

function executionDetail(execution) {
  const attempts = execution.attempts || [];
  return h('div', {},
    attempts.length ? attemptsList(attempts)
      : h('p', {class: 'muted'}, execution.skip_reason ? `Skipped: ${execution.skip_reason}` : 'No attempt yet.'),
    execution.next_attempt_at ? h('p', {class: 'muted'}, `Next attempt ${relative(execution.next_attempt_at)}.`) : null,
    execution.callback_deadline && execution.status === 'awaiting_callback'
      ? h('p', {class: 'muted'}, `Waiting for its callback until ${time(execution.callback_deadline)}.`) : null);
}

/**
 * Rows that open to their details. expanded maps the ids open to their detail element, across refreshes: with keep, an
 * open row's detail is built once and reused (it may fetch); without, it is rebuilt from the fresh row.
 */
export function expandingTable(headers, rows, expanded, {id, cells, detail, empty, attrs = () => ({}), keep = false}) {
  if (!rows.length) return h('div', {class: 'empty'}, empty);
  const body = h('tbody');
  for (const row of rows) {
    const key = id(row);
    const open = expanded.has(key);
    if (open && (!keep || !expanded.get(key))) expanded.set(key, detail(row));
    const cell = h('td', {colspan: headers.length + 1}, open ? expanded.get(key) : null);
    const detailRow = h('tr', {class: 'detail', hidden: !open}, cell);
    const toggle = h('button', {type: 'button', class: 'link', 'aria-expanded': String(open), onclick: () => {
      const opening = !expanded.has(key);
      if (opening) {
        expanded.set(key, detail(row));
        fill(cell, expanded.get(key));
      } else {
        expanded.delete(key);
      }
      detailRow.hidden = !opening;
      toggle.setAttribute('aria-expanded', String(opening));
      toggle.textContent = opening ? 'Hide' : 'Details';
    }}, open ? 'Hide' : 'Details');
    body.append(h('tr', attrs(row), cells(row).map(([content, cls]) => h('td', {class: cls}, content)),
      h('td', {}, toggle)), detailRow);
  }
  return h('table', {class: 'grid'},
    h('thead', {}, h('tr', {}, headers.map(([title, cls]) => h('th', {class: cls}, title)), h('th'))), body);
}

export function executionTable(rows, expanded, {showJob = true, empty = 'No executions.', jobNames = new Map()} = {}) {
  const headers = [showJob ? ['Job'] : null, ['Scheduled for'], ['Trigger'], ['Status'], ['Attempts', 'num'],
    ['HTTP', 'num'], ['Duration', 'num']].filter(Boolean);
  return expandingTable(headers, rows, expanded, {
    id: e => e.id,
    empty,
    attrs: e => ({'data-execution-id': e.id, 'data-status': e.status}),
    detail: executionDetail,
    cells: e => {
      const last = lastAttempt(e);
      return [
        showJob ? [link(`#/jobs/${encodeURIComponent(e.job_id)}`, jobNames.get(e.job_id) || e.job_id)] : null,
        [time(e.scheduled_for)],
        [e.trigger],
        [badge(e.status), 'status'],
        [String((e.attempts || []).length), 'num'],
        [last?.status_code ? String(last.status_code) : '—', 'num'],
        [duration(last?.duration_ms), 'num'],
      ].filter(Boolean);
    },
  });
}

export default {
  title: 'Executions',
  async render(ctx) {
    const filters = {status: ctx.query.get('status') || '', job_id: ctx.query.get('job') || ''};
    const list = h('div', {'data-test': 'executions'});
    const expanded = new Map();
    const jobs = (await get('/v1/jobs?limit=500')).data;
    const jobNames = new Map(jobs.map(j => [j.id, j.name]));
    const status = h('select', {name: 'status', 'aria-label': 'Status'},
      STATUSES.map(s => h('option', {value: s, selected: filters.status === s}, s ? s.replace(/_/g, ' ') : 'Any status')));
    const job = h('select', {name: 'job_id', 'aria-label': 'Job'},
      h('option', {value: '', selected: !filters.job_id}, 'Every job'),
      jobs.map(j => h('option', {value: j.id, selected: filters.job_id === j.id}, j.name)),
      filters.job_id && !jobNames.has(filters.job_id)
        ? h('option', {value: filters.job_id, selected: true}, filters.job_id) : null);
    const pages = pagedList(ctx, async cursor => {
      const page = await get(`/v1/executions${query({...filters, limit: PAGE, cursor})}`);
      if (page.data.some(e => !jobNames.has(e.job_id))) {
        // Jobs made since the page opened: read their names once; a deleted job keeps its id.
        (await get('/v1/jobs?limit=500')).data.forEach(j => jobNames.set(j.id, j.name));
        page.data.forEach(e => { if (!jobNames.has(e.job_id)) jobNames.set(e.job_id, e.job_id); });
      }
      return page;
    }, rows => fill(list, executionTable(rows, expanded, {
      jobNames,
      empty: filters.status || filters.job_id ? 'No execution matches these filters.'
        : 'No executions yet. They appear here as jobs run.',
    }), pages.footer()));
    const load = pages.load;
    const refilter = () => {
      filters.status = status.value;
      filters.job_id = job.value;
      load();
    };
    status.addEventListener('change', refilter);
    job.addEventListener('change', refilter);
    fill(ctx.main, h('div', {class: 'page-head'}, h('h1', {}, 'Executions')),
      h('div', {class: 'filters'}, job, status), h('section', {class: 'card'}, list));
    await load();
    ctx.every(3000, pages.refresh);
  },
};
