// A job: its schedule in words and next runs, its executions with attempts and responses, a chart of outcomes and
// durations, and (for admin keys) pause, resume, run now, edit, rotate secret and delete.

import {get, post, del, encode} from '../api.js';
import {h, fill, badge, action, notice, link, copyable} from '../dom.js';
import {time, relative, duration, seconds} from '../format.js';
import {describeCron} from '../cron-words.js';
import {OutcomeChart} from '../chart.js';
import {executionTable} from './executions.js';
import {created} from './job-form.js';

export default {
  title: 'Job',
  async render(ctx) {
    const [id] = ctx.params;
    const path = `/v1/jobs/${encode(id)}`;
    const head = h('div', {class: 'page-head'});
    const details = h('section', {class: 'card'});
    const secretBox = h('div');
    const runsCard = h('div', {'data-test': 'executions'});
    const expanded = new Map();
    let job = await get(path);
    const chart = new OutcomeChart(h('div'));

    fill(ctx.main, h('p', {class: 'crumbs'}, link('#/jobs', 'Jobs'), ' / '), head, secretBox, details,
      h('section', {class: 'card'}, h('h2', {}, 'Outcomes and durations'), chart.container),
      h('section', {class: 'card'}, h('div', {class: 'section-head'}, h('h2', {}, 'Executions'),
        link(`#/executions?job=${encode(id)}`, 'All executions of this job')), runsCard));
    drawHead();
    await drawDetails();
    if (created.id === id) {
      showSecret(created.secret);
      created.id = created.secret = null;
    }
    await loadRuns();

    // The buttons are redrawn only when the job changed, so one clicked mid-refresh is not replaced; the next runs
    // move on with time, so the details are redrawn every tenth refresh too.
    let refreshes = 0;
    ctx.every(3000, async () => {
      const fresh = await get(path);
      if (!ctx.current()) return;
      const changed = fresh.updated_at !== job.updated_at || fresh.status !== job.status
        || fresh.enabled !== job.enabled || fresh.next_run_at !== job.next_run_at;
      job = fresh;
      if (changed) drawHead();
      if (changed || ++refreshes % 10 === 0) await drawDetails();
      await loadRuns();
    });

    function drawHead() {
      fill(head,
        h('h1', {}, h('span', {'data-test': 'job-name'}, job.name), ' ',
          h('span', {'data-test': 'job-status'}, badge(job.status))),
        ctx.canWrite ? h('div', {class: 'actions'},
          action('Run now', async () => {
            const run = await post(`${path}/trigger`, {});
            notice(`Run ${run.execution_id} started.`);
            await loadRuns();
          }, {testId: 'run-now'}),
          job.enabled
            ? action('Pause', async () => { job = await post(`${path}/pause`, {}); drawHead(); await drawDetails(); },
              {testId: 'pause'})
            : action('Resume', async () => { job = await post(`${path}/resume`, {}); drawHead(); await drawDetails(); },
              {testId: 'resume'}),
          h('a', {class: 'button secondary write', href: `#/jobs/${encode(id)}/edit`, 'data-test': 'edit'}, 'Edit'),
          action('Rotate secret', async () => {
            const rotated = await post(`${path}/rotate-secret`, {});
            showSecret(rotated.signing_secret);
          }, {confirm: 'Rotate the signing secret? Receivers accept the old one for 24 hours.',
            testId: 'rotate-secret'}),
          action('Delete', async () => {
            await del(path);
            notice(`Job ${job.name} deleted.`);
            location.hash = '#/jobs';
          }, {danger: true, confirm: `Delete job "${job.name}" and its executions?`, testId: 'delete'}))
          : null);
      if (job.paused_reason) {
        head.appendChild(h('p', {class: 'paused-reason'}, `Paused: ${job.paused_reason}`));
      }
    }

    function showSecret(secret) {
      fill(secretBox, h('div', {class: 'notice info', 'data-test': 'signing-secret'},
        'Signing secret (shown once; receivers verify requests with it): ', copyable(secret)));
    }

    async function drawDetails() {
      const next = job.type === 'cron' && job.status === 'active'
        ? (await get(`${path}/next-runs?count=5`)).data : job.next_run_at ? [job.next_run_at] : [];
      const words = job.type === 'cron' ? describeCron(job.cron) : null;
      const rows = [
        ['Schedule', job.type === 'cron'
          ? h('span', {}, h('span', {'data-test': 'cron-words'}, words || ''), ' ',
            h('code', {}, job.cron), ' ', h('span', {class: 'muted'}, job.timezone))
          : h('span', {}, 'Once at ', time(job.run_at))],
        ['Next runs', next.length
          ? h('ul', {class: 'plain', 'data-test': 'next-runs'}, next.map(at => h('li', {}, time(at), ' ',
            h('span', {class: 'muted'}, relative(at)))))
          : h('span', {class: 'muted'}, 'none')],
        ['Request', h('span', {}, h('code', {}, job.method), ' ', h('code', {class: 'wrap'}, job.url))],
        ['Headers', Object.keys(job.headers || {}).length
          ? h('ul', {class: 'plain'}, Object.entries(job.headers).map(([k, v]) => h('li', {}, h('code', {}, `${k}: ${v}`))))
          : h('span', {class: 'muted'}, 'none')],
        ['Body', job.body === null || job.body === undefined ? h('span', {class: 'muted'}, 'none')
          : h('pre', {}, typeof job.body === 'string' ? job.body : JSON.stringify(job.body, null, 2))],
        ['Timeout', seconds(job.timeout_seconds)],
        ['Concurrency', job.concurrency],
        job.type === 'cron' ? ['Missed runs', job.catch_up] : null,
        job.type === 'cron' && job.jitter_seconds ? ['Jitter', seconds(job.jitter_seconds)] : null,
        ['Completion', job.completion === 'callback'
          ? `by callback within ${seconds(job.callback_timeout_seconds)}` : 'by the response'],
        job.pause_after_failures ? ['Pause after', `${job.pause_after_failures} failures in a row`] : null,
        job.end_at ? ['Ends', time(job.end_at)] : null,
        ['Created', time(job.created_at)],
        ['Id', h('code', {}, job.id)],
      ].filter(Boolean);
      fill(details, h('h2', {}, 'Details'),
        h('dl', {class: 'details'}, rows.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)])));
    }

    async function loadRuns() {
      const page = await get(`${path}/executions?limit=50`);
      if (!ctx.current()) return;
      chart.update(page.data);
      fill(runsCard, executionTable(page.data, expanded, {
        showJob: false,
        empty: job.type === 'cron'
          ? `No runs yet. The next is ${job.next_run_at ? relative(job.next_run_at) : 'not scheduled'}`
            + (ctx.canWrite ? '; Run now starts one at once.' : '.')
          : 'No runs yet.',
      }));
    }
  },
};
