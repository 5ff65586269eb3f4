// API keys: who may call the API; a new key is shown once.

import {get, post, del, encode} from '../api.js';
import {h, fill, table, badge, action, copyable} from '../dom.js';
import {field, input, select, formError, submits} from '../forms.js';
import {time, relative} from '../format.js';

export default {
  title: 'API keys',
  async render(ctx) {
    const list = h('div', {'data-test': 'api-keys'});
    const shown = h('div');
    async function load() {
      const page = await get('/v1/api-keys?limit=500');
      if (!ctx.current()) return;
      fill(list, table([
        {title: 'Name', cell: k => k.name, class: 'name'},
        {title: 'Scope', cell: k => badge(k.scope)},
        {title: 'Starts with', cell: k => h('code', {}, `${k.prefix}…`)},
        {title: 'Created', cell: k => time(k.created_at)},
        {title: 'Last used', cell: k => k.last_used_at ? relative(k.last_used_at) : 'never'},
        {title: '', cell: k => ctx.canWrite && k.id !== ctx.me.key_id ? action('Revoke', async () => {
          await del(`/v1/api-keys/${encode(k.id)}`);
          await load();
        }, {danger: true, confirm: `Revoke key ${k.name}? Whatever uses it gets 401 from now on.`})
          : k.id === ctx.me.key_id ? h('span', {class: 'muted'}, 'this key') : null},
      ], page.data, 'No keys made through the API yet; the server\'s configured admin key is not listed.'));
    }
    const f = {
      name: input('name', {placeholder: 'grafana', required: true}),
      scope: select('scope', [['read', 'read: sees everything, changes nothing'], ['admin', 'admin: everything']], 'read'),
    };
    const form = h('form', {class: 'card', novalidate: true},
      h('h2', {}, 'Create a key'), field('Name', f.name), field('Scope', f.scope), formError(),
      h('div', {class: 'actions'}, h('button', {type: 'submit', class: 'primary'}, 'Create key')));
    submits(form, async () => {
      const created = await post('/v1/api-keys', {name: f.name.value.trim(), scope: f.scope.value});
      form.reset();
      fill(shown, h('div', {class: 'notice info', 'data-test': 'new-key'},
        `Key ${created.name} (shown once, store it now): `, copyable(created.key)));
    }, {then: load});
    fill(ctx.main, h('div', {class: 'page-head'}, h('h1', {}, 'API keys')), shown, h('section', {class: 'card'}, list),
      ctx.canWrite ? form : null);
    await load();
  },
};
