// Executions across jobs, newest first, filtered by status; each opens to its attempts and responses.

import {get, query} from '../api.js';
import {h, fill, table, badge, link} from '../dom.js';
import {time, relative, duration} from '../format.js';

const STATUSES = ['', 'running', 'awaiting_callback', 'succeeded', 'retry_scheduled', 'failed', 'skipped'];

function lastAttempt(execution) {
  const attempts = execution.attempts || [];
  return attempts[attempts.length - 1] || null;
}

function attemptsView(execution) {
  const attempts = execution.attempts || [];
  if (!attempts.length) {
    return h('p', {class: 'muted'}, execution.skip_reason ? `Skipped: ${execution.skip_reason}` : 'No attempt yet.');
  }
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
    a.callback_output ? h('pre', {class: 'response'}, a.callback_output) : null)),
  execution.next_attempt_at ? h('p', {class: 'muted'}, `Next attempt ${relative(execution.next_attempt_at)}.`) : null);
}

/** Executions as rows that open to their attempts; expanded holds the ids open, across refreshes. */
export function executionTable(rows, expanded, {showJob = true, empty = 'No executions.', jobNames = new Map()} = {}) {
  if (!rows.length) return h('div', {class: 'empty'}, empty);
  const body = h('tbody');
  for (const e of rows) {
    const last = lastAttempt(e);
    const open = expanded.has(e.id);
    const toggle = h('button', {type: 'button', class: 'link', 'aria-expanded': String(open),
      onclick: () => {
        if (expanded.has(e.id)) expanded.delete(e.id); else expanded.add(e.id);
        detail.hidden = !expanded.has(e.id);
        toggle.setAttribute('aria-expanded', String(expanded.has(e.id)));
      }}, open ? 'Hide' : 'Attempts');
    const detail = h('tr', {class: 'detail', hidden: !open}, h('td', {colspan: showJob ? 8 : 7}, attemptsView(e)));
    body.append(h('tr', {'data-execution-id': e.id, 'data-status': e.status},
      showJob ? h('td', {}, link(`#/jobs/${encodeURIComponent(e.job_id)}`, jobNames.get(e.job_id) || e.job_id)) : null,
      h('td', {title: time(e.scheduled_for)}, time(e.scheduled_for)),
      h('td', {}, e.trigger),
      h('td', {class: 'status'}, badge(e.status)),
      h('td', {class: 'num'}, String((e.attempts || []).length)),
      h('td', {class: 'num'}, last?.status_code ? String(last.status_code) : '—'),
      h('td', {class: 'num'}, duration(last?.duration_ms)),
      h('td', {}, toggle)), detail);
  }
  return h('table', {class: 'grid'},
    h('thead', {}, h('tr', {}, [showJob ? 'Job' : null, 'Scheduled for', 'Trigger', 'Status', 'Attempts', 'HTTP',
      'Duration', ''].filter(t => t !== null).map(t => h('th', {class: ['Attempts', 'HTTP', 'Duration'].includes(t)
      ? 'num' : null}, t)))),
    body);
}

const filters = {status: ''};

export default {
  title: 'Executions',
  async render(ctx) {
    const list = h('div');
    const expanded = new Set();
    const status = h('select', {name: 'status', 'aria-label': 'Status'},
      STATUSES.map(s => h('option', {value: s, selected: filters.status === s}, s ? s.replace(/_/g, ' ') : 'Any status')));
    const jobNames = new Map();
    async function load() {
      const page = await get(`/v1/executions${query({status: filters.status, limit: 100})}`);
      if (page.data.some(e => !jobNames.has(e.job_id))) {
        (await get('/v1/jobs?limit=500')).data.forEach(j => jobNames.set(j.id, j.name));
        // A deleted job keeps its id as its name, so it is not looked up again.
        page.data.forEach(e => { if (!jobNames.has(e.job_id)) jobNames.set(e.job_id, e.job_id); });
      }
      if (!ctx.current()) return;
      fill(list, executionTable(page.data, expanded, {
        jobNames,
        empty: filters.status ? 'No execution has this status.'
          : 'No executions yet. They appear here as jobs run.',
      }));
    }
    status.addEventListener('change', () => { filters.status = status.value; load(); });
    fill(ctx.main, h('div', {class: 'page-head'}, h('h1', {}, 'Executions')), h('div', {class: 'filters'}, status),
      h('section', {class: 'card'}, list));
    await load();
    ctx.every(3000, load);
  },
};
