// An incident: what it is, its timeline, and acknowledge / resolve for admin keys.

import {get, post, encode} from '../api.js';
import {h, fill, badge, action, link} from '../dom.js';
import {time, relative} from '../format.js';

export default {
  title: 'Incident',
  async render(ctx) {
    const [id] = ctx.params;
    const path = `/v1/incidents/${encode(id)}`;
    const head = h('div', {class: 'page-head'});
    const about = h('section', {class: 'card'});
    const timeline = h('section', {class: 'card'});
    fill(ctx.main, h('p', {class: 'crumbs'}, link('#/incidents', 'Incidents'), ' / '), head, about, timeline);

    let shownStatus = null;
    async function load() {
      const incident = await get(path);
      if (!ctx.current()) return;
      // The buttons are redrawn only when the status changed, so one clicked mid-refresh is not replaced.
      if (incident.status !== shownStatus) drawHead(incident);
      drawAbout(incident);
    }

    function drawHead(incident) {
      shownStatus = incident.status;
      fill(head,
        h('h1', {}, `#${incident.number} `, h('span', {'data-test': 'incident-title'}, incident.title), ' ',
          h('span', {'data-test': 'incident-status'}, badge(incident.status))),
        ctx.canWrite && incident.status !== 'resolved' ? h('div', {class: 'actions'},
          incident.status === 'triggered'
            ? action('Acknowledge', async () => { await post(`${path}/acknowledge`, {}); await load(); },
              {testId: 'acknowledge'}) : null,
          action('Resolve', async () => { await post(`${path}/resolve`, {}); await load(); }, {testId: 'resolve'}))
          : null);
    }

    function drawAbout(incident) {
      fill(about, h('dl', {class: 'details'},
        h('dt', {}, 'Severity'), h('dd', {}, badge(incident.severity)),
        incident.priority ? [h('dt', {}, 'Priority'), h('dd', {}, incident.priority)] : null,
        h('dt', {}, 'Occurrences'), h('dd', {}, String(incident.occurrences)),
        h('dt', {}, 'Opened'), h('dd', {}, time(incident.created_at)),
        h('dt', {}, 'Last seen'), h('dd', {}, `${time(incident.last_occurrence_at)} (${relative(incident.last_occurrence_at)})`),
        incident.acknowledged_at ? [h('dt', {}, 'Acknowledged'), h('dd', {}, time(incident.acknowledged_at))] : null,
        incident.resolved_at ? [h('dt', {}, 'Resolved'),
          h('dd', {}, `${time(incident.resolved_at)}${incident.resolved_by ? ` by ${incident.resolved_by}` : ''}`)] : null,
        h('dt', {}, 'Dedup key'), h('dd', {}, h('code', {}, incident.dedup_key)),
        incident.body ? [h('dt', {}, 'Details'), h('dd', {}, h('pre', {}, typeof incident.body === 'string'
          ? incident.body : JSON.stringify(incident.body, null, 2)))] : null));
      fill(timeline, h('h2', {}, 'Timeline'),
        h('ol', {class: 'timeline', 'data-test': 'timeline'}, incident.timeline.map(entry =>
          h('li', {'data-type': entry.type},
            h('span', {class: 'when', title: time(entry.at)}, time(entry.at)), ' ',
            badge(entry.type), ' ',
            h('span', {}, entry.message || '')))));
    }
    await load();
    ctx.every(3000, load);
  },
};
