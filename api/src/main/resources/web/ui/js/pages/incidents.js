// Incidents, open ones first by default; they update as events arrive.

import {get, query} from '../api.js';
import {h, fill, table, badge, link} from '../dom.js';
import {time, relative} from '../format.js';

const filters = {status: 'open'};

export default {
  title: 'Incidents',
  async render(ctx) {
    const list = h('div', {'data-test': 'incidents'});
    const status = h('select', {name: 'status', 'aria-label': 'Status'},
      [['open', 'Open (triggered or acknowledged)'], ['triggered', 'Triggered'], ['acknowledged', 'Acknowledged'],
        ['resolved', 'Resolved'], ['', 'All']].map(([v, l]) => h('option', {value: v, selected: filters.status === v}, l)));
    const integrations = new Map((await get('/v1/integrations?limit=500')).data.map(i => [i.id, i.name]));

    let asked = 0;
    async function load() {
      const mine = ++asked;
      const rows = (await get(`/v1/incidents${query({status: filters.status, limit: 200})}`)).data;
      if (!ctx.current() || mine !== asked) return;
      fill(list, table([
        {title: '#', cell: i => String(i.number), class: 'num'},
        {title: 'Title', cell: i => link(`#/incidents/${encodeURIComponent(i.id)}`, i.title), class: 'name'},
        {title: 'Status', cell: i => badge(i.status)},
        {title: 'Severity', cell: i => badge(i.severity)},
        {title: 'Integration', cell: i => integrations.get(i.integration_id) || i.integration_id || '—'},
        {title: 'Occurrences', cell: i => String(i.occurrences), class: 'num'},
        {title: 'Last seen', cell: i => h('span', {title: time(i.last_occurrence_at)}, relative(i.last_occurrence_at))},
      ], rows, filters.status === 'open'
        ? 'No open incidents. Failing jobs, late checks and alerts sent to an integration open them here.'
        : 'No incidents with this status.', i => ({'data-incident-id': i.id})));
    }
    status.addEventListener('change', () => { filters.status = status.value; load(); });
    fill(ctx.main, h('div', {class: 'page-head'}, h('h1', {}, 'Incidents')), h('div', {class: 'filters'}, status),
      h('section', {class: 'card'}, list));
    await load();
    ctx.every(3000, load);
  },
};
