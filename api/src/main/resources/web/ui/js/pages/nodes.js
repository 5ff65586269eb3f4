// The nodes of the cluster (one on the embedded database): alive, dead or stopped, and the runs each holds.

import {get} from '../api.js';
import {h, fill, table, badge} from '../dom.js';
import {time, relative} from '../format.js';

export default {
  title: 'Nodes',
  async render(ctx) {
    const list = h('div', {'data-test': 'nodes'});
    async function load() {
      const page = await get('/v1/nodes');
      if (!ctx.current()) return;
      fill(list, table([
        {title: 'Node', cell: n => h('span', {}, h('code', {}, n.id), n.this_node ? ' (this one)' : '')},
        {title: 'Host', cell: n => n.host},
        {title: 'State', cell: n => badge(n.state)},
        {title: 'Started', cell: n => time(n.started_at)},
        {title: 'Last heartbeat', cell: n => h('span', {title: time(n.last_heartbeat_at)}, relative(n.last_heartbeat_at))},
        {title: 'Runs in hand', cell: n => n.runs_in_hand === null || n.runs_in_hand === undefined ? '—'
          : String(n.runs_in_hand), class: 'num'},
      ], page.data, 'No node has registered yet.'));
    }
    fill(ctx.main, h('div', {class: 'page-head'}, h('h1', {}, 'Nodes')), h('section', {class: 'card'}, list));
    await load();
    ctx.every(5000, load);
  },
};
