// Notification webhooks: where job events go, and a form to add one.

import {get, post} from '../api.js';
import {h, fill, table, badge, link, copyable} from '../dom.js';
import {field, input, checkboxes, formError, submits} from '../forms.js';

export const TOPICS = ['job.execution.started', 'job.execution.succeeded', 'job.execution.failed',
  'job.execution.skipped', 'job.runs.missed', 'job.paused'];

export default {
  title: 'Webhooks',
  async render(ctx) {
    const list = h('div', {'data-test': 'webhooks'});
    const created = h('div');
    async function load() {
      const page = await get('/v1/webhooks?limit=500');
      if (!ctx.current()) return;
      fill(list, table([
        {title: 'Name', cell: w => link(`#/webhooks/${encodeURIComponent(w.id)}`, w.nickname || w.id), class: 'name'},
        {title: 'URL', cell: w => h('code', {class: 'wrap'}, w.url)},
        {title: 'Events', cell: w => w.topics.join(', ')},
        {title: 'State', cell: w => w.enabled ? badge('enabled')
          : h('span', {title: w.disabled_reason || ''}, badge('disabled'))},
      ], page.data, ctx.canWrite ? 'No webhooks yet. Add one below to hear when runs start, succeed or fail.'
        : 'No webhooks yet.'));
    }

    const f = {
      url: input('url', {type: 'url', placeholder: 'https://example.com/hooks/cronhook', required: true}),
      nickname: input('nickname', {placeholder: 'ops alerts', required: true}),
      authorization: input('authorization', {class: 'secret', placeholder: 'optional: sent as Authorization'}),
    };
    const topics = checkboxes('Events', 'topics', TOPICS, t => t !== 'job.execution.started');
    const form = h('form', {class: 'card', novalidate: true},
      h('h2', {}, 'Add a webhook'),
      field('URL', f.url), field('Name', f.nickname), field('Authorization header', f.authorization),
      topics.element,
      formError(),
      h('div', {class: 'actions'}, h('button', {type: 'submit', class: 'primary'}, 'Add webhook')));
    submits(form, async () => {
      const body = {url: f.url.value.trim(),
        topics: topics.selected()};
      if (f.nickname.value.trim()) body.nickname = f.nickname.value.trim();
      if (f.authorization.value) body.authorization = f.authorization.value;
      const webhook = await post('/v1/webhooks', body);
      form.reset();
      fill(created, h('div', {class: 'notice info'}, `Webhook ${webhook.nickname || webhook.id} added. Its signing `
        + 'secret, shown once: ', copyable(webhook.signing_secret)));
    }, {then: load});

    fill(ctx.main, h('div', {class: 'page-head'}, h('h1', {}, 'Webhooks')), created,
      h('section', {class: 'card'}, list), ctx.canWrite ? form : null);
    await load();
  },
};
