// One webhook: its deliveries with their attempts, redeliver, ping, rotate secret, enable or disable, delete.

import {get, post, patch, del, encode} from '../api.js';
import {h, fill, badge, action, notice, link, copyable} from '../dom.js';
import {attemptsList, expandingTable} from './executions.js';
import {time, relative, duration} from '../format.js';

export default {
  title: 'Webhook',
  async render(ctx) {
    const [id] = ctx.params;
    const path = `/v1/webhooks/${encode(id)}`;
    const head = h('div', {class: 'page-head'});
    const about = h('section', {class: 'card'});
    const deliveries = h('div', {'data-test': 'deliveries'});
    const expanded = new Map();
    let webhook = await get(path);
    fill(ctx.main, h('p', {class: 'crumbs'}, link('#/webhooks', 'Webhooks'), ' / '), head, about,
      h('section', {class: 'card'}, h('h2', {}, 'Deliveries'), deliveries));

    function draw() {
      fill(head, h('h1', {}, webhook.nickname || webhook.id, ' ', badge(webhook.enabled ? 'enabled' : 'disabled')),
        ctx.canWrite ? h('div', {class: 'actions'},
          action('Send a ping', async () => {
            const delivery = await post(`${path}/ping`, {});
            const last = delivery.attempts.at(-1);
            notice(`Ping ${delivery.status}${last?.status_code ? ` (HTTP ${last.status_code})` : ''}.`,
              delivery.status === 'succeeded' ? 'info' : 'error');
            await loadDeliveries();
          }),
          action(webhook.enabled ? 'Disable' : 'Enable', async () => {
            webhook = await patch(path, {enabled: !webhook.enabled});
            draw();
          }),
          action('Rotate secret', async () => {
            const rotated = await post(`${path}/rotate-secret`, {});
            about.prepend(h('div', {class: 'notice info'}, 'New signing secret (shown once): ',
              copyable(rotated.signing_secret)));
          }, {confirm: 'Rotate the signing secret?'}),
          action('Delete', async () => {
            await del(path);
            location.hash = '#/webhooks';
          }, {danger: true, confirm: 'Delete this webhook?'})) : null);
      fill(about, h('dl', {class: 'details'},
        h('dt', {}, 'URL'), h('dd', {}, h('code', {class: 'wrap'}, webhook.url)),
        h('dt', {}, 'Events'), h('dd', {}, webhook.topics.join(', ')),
        h('dt', {}, 'Jobs'), h('dd', {}, webhook.job_ids?.length ? webhook.job_ids.join(', ') : 'all jobs'),
        h('dt', {}, 'Authorization'), h('dd', {}, webhook.has_authorization ? 'set (not shown)' : 'none'),
        webhook.disabled_reason ? [h('dt', {}, 'Disabled because'), h('dd', {}, webhook.disabled_reason)] : null,
        h('dt', {}, 'Id'), h('dd', {}, h('code', {}, webhook.id))));
    }

    async function loadDeliveries() {
      const page = await get(`${path}/deliveries?limit=100`);
      if (!ctx.current()) return;
      fill(deliveries, expandingTable([['Event'], ['Status'], ['Attempts', 'num'], ['Last answer'], ['Created'],
        ['Next attempt'], ['']], page.data, expanded, {
        id: d => d.id,
        empty: 'No deliveries yet. Events of the jobs it listens to appear here; Send a ping tries it now.',
        attrs: d => ({'data-delivery-id': d.id}),
        detail: d => (d.attempts.length ? attemptsList(d.attempts) : h('p', {class: 'muted'}, 'Not tried yet.')),
        cells: d => {
          const last = d.attempts.at(-1);
          return [
            [d.event_type],
            [badge(d.status)],
            [String(d.attempt_count), 'num'],
            [last ? `${last.status_code ? `HTTP ${last.status_code}` : last.outcome} · ${duration(last.duration_ms)}`
              : '—'],
            [h('span', {title: time(d.created_at)}, relative(d.created_at))],
            [d.next_attempt_at ? relative(d.next_attempt_at) : '—'],
            [ctx.canWrite ? action('Redeliver', async () => {
              await post(`${path}/deliveries/${encode(d.id)}/redeliver`, {});
              notice('Queued for delivery again.');
              await loadDeliveries();
            }) : null],
          ];
        },
      }));
    }
    draw();
    await loadDeliveries();
    ctx.every(5000, loadDeliveries);
  },
};
