// Jobs: status, last outcome and next run of each, searched by name and filtered by type and state.

import {get, query} from '../api.js';
import {h, fill, table, badge, link} from '../dom.js';
import {time, relative} from '../format.js';
import {describeCron} from '../cron-words.js';
import {pagedList, PAGE} from '../paging.js';

const filters = {q: '', type: '', enabled: ''};

export function schedule(job) {
  if (job.type === 'once') return `Once, ${time(job.run_at)}`;
  return describeCron(job.cron) || job.cron;
}

export default {
  title: 'Jobs',
  async render(ctx) {
    const list = h('div', {'data-test': 'jobs'});
    const search = h('input', {type: 'search', name: 'q', placeholder: 'Search by name', value: filters.q,
      'aria-label': 'Search jobs by name'});
    const type = h('select', {name: 'type', 'aria-label': 'Type'},
      [['', 'Any type'], ['cron', 'Cron'], ['once', 'One-time']].map(([v, l]) =>
        h('option', {value: v, selected: filters.type === v}, l)));
    const enabled = h('select', {name: 'enabled', 'aria-label': 'State'},
      [['', 'Enabled and paused'], ['true', 'Enabled'], ['false', 'Paused']].map(([v, l]) =>
        h('option', {value: v, selected: filters.enabled === v}, l)));
    const pages = pagedList(ctx, cursor => get(`/v1/jobs${query({...filters, limit: PAGE, cursor})}`), draw);
    const load = pages.load;

    function draw(rows) {
      const filtered = filters.q || filters.type || filters.enabled;
      const empty = filtered ? 'No job matches these filters.'
        : ctx.canWrite ? h('span', {}, 'No jobs yet. ', link('#/jobs/new', 'Create a job'),
          ' to call a URL on a cron schedule or once at a given time.')
          : 'No jobs yet. A key with the admin scope can create them.';
      fill(list, table([
        {title: 'Name', cell: j => link(`#/jobs/${encodeURIComponent(j.id)}`, j.name), class: 'name'},
        {title: 'Schedule', cell: j => h('span', {title: j.cron || ''}, schedule(j))},
        {title: 'Status', cell: j => badge(j.status)},
        {title: 'Last outcome', cell: j => j.last_execution
          ? h('span', {}, badge(j.last_execution.status), ' ',
            h('span', {class: 'muted', title: time(j.last_execution.finished_at)},
              relative(j.last_execution.finished_at)))
          : h('span', {class: 'muted'}, 'never ran')},
        {title: 'Next run', cell: j => j.next_run_at
          ? h('span', {title: time(j.next_run_at)}, relative(j.next_run_at)) : h('span', {class: 'muted'}, '—')},
      ], rows, empty, j => ({'data-job-id': j.id})), pages.footer());
    }

    let typing;
    search.addEventListener('input', () => {
      clearTimeout(typing);
      typing = setTimeout(() => { filters.q = search.value.trim(); load(); }, 250);
    });
    type.addEventListener('change', () => { filters.type = type.value; load(); });
    enabled.addEventListener('change', () => { filters.enabled = enabled.value; load(); });

    fill(ctx.main,
      h('div', {class: 'page-head'},
        h('h1', {}, 'Jobs'),
        ctx.canWrite ? h('a', {class: 'button primary write', href: '#/jobs/new', 'data-test': 'new-job'}, 'New job')
          : null),
      h('div', {class: 'filters'}, search, type, enabled),
      h('section', {class: 'card'}, list));
    await load();
    ctx.every(5000, pages.refresh);
  },
};
