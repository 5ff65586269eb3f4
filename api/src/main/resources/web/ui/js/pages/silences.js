// Silences: while one is active, matching incidents still open and group but nobody is told.

import {get, post, del, encode} from '../api.js';
import {h, fill, table, badge, action} from '../dom.js';
import {field, input, select, formError, submits} from '../forms.js';
import {time, localToIso} from '../format.js';

export default {
  title: 'Silences',
  async render(ctx) {
    const list = h('div', {'data-test': 'silences'});
    const integrations = (await get('/v1/integrations?limit=500')).data;
    const names = new Map(integrations.map(i => [i.id, i.name]));
    async function load() {
      const page = await get('/v1/silences?limit=500');
      if (!ctx.current()) return;
      fill(list, table([
        {title: 'Matches', cell: s => [s.integration_id ? `integration ${names.get(s.integration_id) || s.integration_id}`
          : 'every integration', s.dedup_key ? `, dedup key ${s.dedup_key}` : ''].join('')},
        {title: 'From', cell: s => time(s.starts_at)},
        {title: 'Until', cell: s => time(s.ends_at)},
        {title: 'State', cell: s => badge(s.active ? 'active' : 'ended')},
        {title: 'Comment', cell: s => s.comment || ''},
        {title: '', cell: s => ctx.canWrite && s.active ? action('End now', async () => {
          await del(`/v1/silences/${encode(s.id)}`);
          await load();
        }) : null},
      ], page.data, 'No silences. Add one before planned work so its alerts do not page anyone.'));
    }
    const f = {
      integration_id: select('integration_id', [['', 'Every integration'], ...integrations.map(i => [i.id, i.name])], ''),
      dedup_key: input('dedup_key', {placeholder: 'optional: only this incident key'}),
      ends_at: input('ends_at', {type: 'datetime-local', step: 1}),
      comment: input('comment', {placeholder: 'why alerts are muted', required: true}),
    };
    const form = h('form', {class: 'card', novalidate: true},
      h('h2', {}, 'Add a silence'),
      field('Integration', f.integration_id), field('Dedup key', f.dedup_key),
      field('Until', f.ends_at, 'In your browser\'s time zone.'), field('Comment', f.comment),
      formError(),
      h('div', {class: 'actions'}, h('button', {type: 'submit', class: 'primary'}, 'Add silence')));
    submits(form, async () => {
      const body = {ends_at: localToIso(f.ends_at.value) || ''};
      if (f.integration_id.value) body.integration_id = f.integration_id.value;
      if (f.dedup_key.value.trim()) body.dedup_key = f.dedup_key.value.trim();
      if (f.comment.value.trim()) body.comment = f.comment.value.trim();
      await post('/v1/silences', body);
      form.reset();
    }, {then: load});
    fill(ctx.main, h('div', {class: 'page-head'}, h('h1', {}, 'Silences')), h('section', {class: 'card'}, list),
      ctx.canWrite ? form : null);
    await load();
  },
};
