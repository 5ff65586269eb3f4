// Integrations (where incidents come in: each has an intake URL to paste into the sending tool) and the channels
// that tell people about incidents.

import {get, post, del, encode} from '../api.js';
import {h, fill, table, badge, action, notice, copyable} from '../dom.js';
import {field, input, select, checkboxes, formError, submits, whole} from '../forms.js';
import {time} from '../format.js';

const EVENTS = ['incident.opened', 'incident.acknowledged', 'incident.reopened', 'incident.resolved',
  'incident.reminder'];

const TYPES = [['generic', 'Generic JSON'], ['cronicle', 'Cronicle'], ['healthchecks', 'Healthchecks.io'],
  ['crontogo', 'Cron To Go'], ['pagerduty', 'PagerDuty Events v2 style'], ['alertmanager', 'Prometheus Alertmanager'],
  ['cronhook', 'Cronhook (another instance)']];

export default {
  title: 'Integrations',
  async render(ctx) {
    const list = h('div', {'data-test': 'integrations'});
    const channels = h('div', {'data-test': 'channels'});
    const shown = h('div');

    function showIntake(integration) {
      fill(shown, h('div', {class: 'notice info', 'data-test': 'intake-url'},
        `Intake URL of ${integration.name} (shown once; it holds the token): `, copyable(integration.intake_url)));
    }

    async function load() {
      const [integrations, channelPage] = await Promise.all([get('/v1/integrations?limit=500'),
        get('/v1/channels?limit=500')]);
      if (!ctx.current()) return;
      const names = new Map(integrations.data.map(i => [i.id, i.name]));
      fill(list, table([
        {title: 'Name', cell: i => i.name, class: 'name'},
        {title: 'Type', cell: i => i.type},
        {title: 'Severity', cell: i => badge(i.default_severity)},
        {title: 'Alert after', cell: i => `${i.alert_after} event${i.alert_after === 1 ? '' : 's'}`},
        {title: 'Re-alert', cell: i => i.realert_minutes ? `every ${i.realert_minutes} min` : '—'},
        {title: 'Created', cell: i => time(i.created_at)},
        {title: '', cell: i => ctx.canWrite && !i.built_in ? h('span', {class: 'actions'},
          action('New intake URL', async () => showIntake(await post(`/v1/integrations/${encode(i.id)}/rotate-token`,
            {})), {confirm: 'Make a new intake URL? The old one stops working at once.'}),
          action('Delete', async () => {
            await del(`/v1/integrations/${encode(i.id)}`);
            notice(`Integration ${i.name} deleted.`);
            await load();
          }, {danger: true, confirm: `Delete integration ${i.name}?`}))
          : i.built_in ? h('span', {class: 'muted'}, 'built in: hears this server\'s own job events') : null},
      ], integrations.data, 'No integrations yet.'));
      fill(channels, table([
        {title: 'Type', cell: c => c.type},
        {title: 'URL', cell: c => h('code', {class: 'wrap'}, c.url)},
        {title: 'Events', cell: c => (c.events || []).join(', ')},
        {title: 'Integrations', cell: c => c.integration_ids?.length
          ? c.integration_ids.map(id => names.get(id) || id).join(', ') : 'all'},
        {title: 'Min severity', cell: c => c.min_severity || '—'},
        {title: 'State', cell: c => badge(c.enabled ? 'enabled' : 'disabled')},
        {title: '', cell: c => ctx.canWrite ? action('Delete', async () => {
          await del(`/v1/channels/${encode(c.id)}`);
          await load();
        }, {danger: true, confirm: 'Delete this channel? Nobody is told through it from now on.'}) : null},
      ], channelPage.data, ctx.canWrite ? 'No channels: incidents are listed here but nobody is told. Add a webhook '
        + 'or a Slack incoming webhook below.' : 'No channels: incidents are listed here but nobody is told.'));
    }

    const f = {
      name: input('name', {placeholder: 'nightly backups', required: true}),
      type: select('type', TYPES, 'generic'),
      default_severity: select('default_severity', [['sev1', 'sev1 (worst)'], ['sev2', 'sev2'], ['sev3', 'sev3']], 'sev2'),
      alert_after: input('alert_after', {type: 'number', min: 1, value: 1}),
    };
    const form = h('form', {class: 'card', novalidate: true},
      h('h2', {}, 'Add an integration'),
      field('Name', f.name), field('Sender', f.type, 'Which tool sends to it: its payloads are read as that tool writes them.'),
      field('Default severity', f.default_severity),
      field('Alert after', f.alert_after, 'Tell channels only once this many events grouped into an incident.'),
      formError(),
      h('div', {class: 'actions'}, h('button', {type: 'submit', class: 'primary'}, 'Add integration')));
    submits(form, async () => {
      const created = await post('/v1/integrations', {name: f.name.value.trim(), type: f.type.value,
        default_severity: f.default_severity.value, alert_after: whole(f.alert_after.value)});
      form.reset();
      showIntake(created);
    }, {then: load});

    const c = {
      type: select('type', [['webhook', 'Webhook (signed JSON)'], ['slack', 'Slack incoming webhook']], 'webhook',
        {id: 'channel-type'}),
      url: input('url', {type: 'url', id: 'channel-url', placeholder: 'https://example.com/alerts', required: true}),
      min_severity: select('min_severity', [['', 'Every incident'], ['sev1', 'sev1 only'], ['sev2', 'sev2 or worse']],
        '', {id: 'channel-min-severity'}),
    };
    const events = checkboxes('Events', 'events', EVENTS);
    const channelForm = h('form', {class: 'card', novalidate: true},
      h('h2', {}, 'Add a channel'),
      field('Kind', c.type), field('URL', c.url), field('Severity', c.min_severity),
      events.element,
      formError(),
      h('div', {class: 'actions'}, h('button', {type: 'submit', class: 'primary'}, 'Add channel')));
    submits(channelForm, async () => {
      const body = {type: c.type.value, url: c.url.value.trim(),
        events: events.selected()};
      if (c.min_severity.value) body.min_severity = c.min_severity.value;
      const created = await post('/v1/channels', body);
      channelForm.reset();
      fill(shown, created.signing_secret ? h('div', {class: 'notice info'},
        'Channel added. Its signing secret (shown once): ', copyable(created.signing_secret))
        : h('div', {class: 'notice info'}, 'Channel added.'));
    }, {then: load});

    fill(ctx.main, h('div', {class: 'page-head'}, h('h1', {}, 'Integrations')), shown,
      h('section', {class: 'card'}, list,
        h('p', {class: 'hint'}, 'An integration\'s intake URL holds its secret token, so it is shown once, when the '
          + 'integration is made; New intake URL makes another and stops the old one.')),
      ctx.canWrite ? form : null,
      h('section', {class: 'card'}, h('h2', {}, 'Channels'), channels),
      ctx.canWrite ? channelForm : null);
    await load();
  },
};
