// Heartbeat checks: each expects pings on its ping URL; late or failed ones go down and open an incident.

import {get, post, del, encode} from '../api.js';
import {h, fill, table, badge, action, notice, copyable} from '../dom.js';
import {field, input, select, formError, submits, whole} from '../forms.js';
import {time, relative, seconds, duration} from '../format.js';
import {describeCron} from '../cron-words.js';
import {expandingTable} from './executions.js';

/** The last pings and status changes of a check, read when its row is opened. */
function history(check) {
  const box = h('div', {class: 'history'}, h('p', {class: 'muted'}, 'Loading…'));
  Promise.all([get(`/v1/checks/${encode(check.id)}/pings`), get(`/v1/checks/${encode(check.id)}/flips`)])
    .then(([pings, flips]) => fill(box,
      h('h3', {}, 'Pings'),
      table([
        {title: 'When', cell: p => time(p.created_at)},
        {title: 'Kind', cell: p => badge(p.type)},
        {title: 'Exit code', cell: p => (p.exit_code === null ? '—' : String(p.exit_code)), class: 'num'},
        {title: 'Ran for', cell: p => duration(p.duration_ms)},
        {title: 'From', cell: p => `${p.method} ${p.remote_addr || ''}`},
        {title: 'Body', cell: p => (p.body ? h('pre', {}, p.body) : '')},
      ], pings.data, 'No pings yet.'),
      h('h3', {}, 'Status changes'),
      table([
        {title: 'When', cell: f => time(f.created_at)},
        {title: 'Change', cell: f => h('span', {}, badge(f.from), ' → ', badge(f.to))},
        {title: 'Why', cell: f => f.reason || ''},
      ], flips.data, 'No status changes yet.')))
    .catch(error => fill(box, h('p', {class: 'error-text'}, error.message)));
  return box;
}

export default {
  title: 'Checks',
  async render(ctx) {
    const list = h('div', {'data-test': 'checks'});
    const expanded = new Map();
    const integrations = (await get('/v1/integrations?limit=500')).data;
    async function load() {
      const page = await get('/v1/checks?limit=500');
      if (!ctx.current()) return;
      fill(list, expandingTable([['Name'], ['Status'], ['Expects'], ['Last ping'], ['Due'], ['Ping URL'], ['']],
        page.data, expanded, {
          id: c => c.id,
          attrs: c => ({'data-check-id': c.id}),
          detail: history,
          keep: true,
          empty: ctx.canWrite
            ? 'No checks yet. Add one below, then call its ping URL at the end of your own cron job '
              + '(curl -fsS -m 10 URL).'
            : 'No checks yet.',
          cells: c => [
            [c.name, 'name'],
            [badge(c.status)],
            [c.cron ? `${describeCron(c.cron) || c.cron} (${c.timezone}), grace ${seconds(c.grace_seconds)}`
              : `every ${seconds(c.period_seconds)}, grace ${seconds(c.grace_seconds)}`],
            [c.last_ping_at ? h('span', {title: time(c.last_ping_at)}, relative(c.last_ping_at),
              c.last_duration_ms !== null && c.last_duration_ms !== undefined ? ` · ran ${duration(c.last_duration_ms)}`
                : '') : h('span', {class: 'muted'}, 'never')],
            [c.next_expected_at ? relative(c.next_expected_at) : '—'],
            [c.ping_url ? copyable(c.ping_url) : h('span', {class: 'muted'}, 'admin keys only')],
            [ctx.canWrite ? h('span', {class: 'actions'},
              c.status === 'paused'
                ? action('Resume', async () => { await post(`/v1/checks/${encode(c.id)}/resume`, {}); await load(); })
                : action('Pause', async () => { await post(`/v1/checks/${encode(c.id)}/pause`, {}); await load(); }),
              action('Delete', async () => {
                await del(`/v1/checks/${encode(c.id)}`);
                notice(`Check ${c.name} deleted.`);
                await load();
              }, {danger: true, confirm: `Delete check ${c.name}? Its ping URL stops working.`})) : null],
          ],
        }));
    }

    const f = {
      name: input('name', {placeholder: 'nightly backup', required: true}),
      period_seconds: input('period_seconds', {type: 'number', min: 1, placeholder: '86400'}),
      cron: input('cron', {placeholder: 'or a cron expression, e.g. 0 3 * * *'}),
      timezone: input('timezone', {value: Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC'}),
      grace_seconds: input('grace_seconds', {type: 'number', min: 1, placeholder: '3600'}),
      integration_id: select('integration_id', [['', 'The built-in integration'],
        ...integrations.filter(i => !i.built_in).map(i => [i.id, i.name])], ''),
      tags: input('tags', {placeholder: 'space separated'}),
    };
    const form = h('form', {class: 'card', novalidate: true},
      h('h2', {}, 'Add a check'),
      field('Name', f.name),
      field('Period (seconds)', f.period_seconds, 'How often a ping is expected…'),
      field('Cron', f.cron, '…or when, as a cron expression (then leave the period empty).'),
      field('Time zone', f.timezone, 'For a cron expression.'),
      field('Grace (seconds)', f.grace_seconds, 'How late a ping may be before the check goes down.'),
      field('Incidents go to', f.integration_id),
      field('Tags', f.tags),
      formError(),
      h('div', {class: 'actions'}, h('button', {type: 'submit', class: 'primary'}, 'Add check')));
    submits(form, async () => {
      const body = {name: f.name.value.trim()};
      if (f.period_seconds.value) body.period_seconds = whole(f.period_seconds.value);
      if (f.cron.value.trim()) {
        body.cron = f.cron.value.trim();
        body.timezone = f.timezone.value.trim();
      }
      if (f.grace_seconds.value) body.grace_seconds = whole(f.grace_seconds.value);
      if (f.integration_id.value) body.integration_id = f.integration_id.value;
      if (f.tags.value.trim()) body.tags = f.tags.value.trim();
      await post('/v1/checks', body);
      form.reset();
    }, {then: load});
    fill(ctx.main, h('div', {class: 'page-head'}, h('h1', {}, 'Checks')), h('section', {class: 'card'}, list),
      ctx.canWrite ? form : null);
    await load();
    ctx.every(5000, load);
  },
};
