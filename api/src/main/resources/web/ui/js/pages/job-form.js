// Create or edit a job. The cron field explains itself in words and previews its next runs as you type, both from
// POST /v1/cron/preview, the scheduler's own cron code; the API's refusals show beside the fields they name.

import {get, post, patch, encode, ApiError} from '../api.js';
import {h, fill, link} from '../dom.js';
import {field, input, select, textarea, formError, submits, whole} from '../forms.js';
import {time, relative, localToIso, isoToLocal} from '../format.js';
import {describeCron} from '../cron-words.js';

/** The secret of a job just created, handed to its page to show once; never stored. */
export const created = {id: null, secret: null};

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD'];

function headersText(headers) {
  return Object.entries(headers || {}).map(([k, v]) => `${k}: ${v}`).join('\n');
}

/** "Name: value" lines as an object; a line without a colon is sent as is, for the API to name. */
function parseHeaders(text) {
  const headers = {};
  for (const line of text.split('\n').map(l => l.trim()).filter(Boolean)) {
    const colon = line.indexOf(':');
    if (colon <= 0) return line;
    headers[line.slice(0, colon).trim()] = line.slice(colon + 1).trim();
  }
  return headers;
}

/** A body that reads as a JSON object or array is sent as JSON; any other text as a string. */
function parseBody(text) {
  if (!text.trim()) return null;
  try {
    const value = JSON.parse(text);
    if (value !== null && typeof value === 'object') return value;
  } catch { /* text */ }
  return text;
}

export default {
  title: 'Job',
  async render(ctx) {
    const [id] = ctx.params;
    const editing = Boolean(id);
    if (!ctx.canWrite) {
      fill(ctx.main, h('div', {class: 'empty'}, 'Your key has the read scope: it cannot create or change jobs.'));
      return;
    }
    const job = editing ? await get(`/v1/jobs/${encode(id)}`) : null;
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

    const f = {
      name: input('name', {value: job?.name ?? '', required: true, maxlength: 200}),
      type: select('type', [['cron', 'On a cron schedule'], ['once', 'Once, at a given time']], job?.type ?? 'cron',
        {disabled: editing}),
      cron: input('cron', {value: job?.cron ?? '', placeholder: '*/15 * * * *', spellcheck: 'false'}),
      timezone: input('timezone', {value: job?.timezone ?? zone, list: 'zones'}),
      run_at: input('run_at', {type: 'datetime-local', step: 1, value: isoToLocal(job?.run_at)}),
      url: input('url', {type: 'url', value: job?.url ?? '', placeholder: 'https://example.com/tasks/report',
        required: true}),
      method: select('method', METHODS, job?.method ?? 'POST'),
      headers: textarea('headers', {rows: 3, value: headersText(job?.headers), placeholder: 'X-Team: reports',
        spellcheck: 'false'}),
      body: textarea('body', {rows: 4, spellcheck: 'false',
        value: job?.body === null || job?.body === undefined ? ''
          : typeof job.body === 'string' ? job.body : JSON.stringify(job.body, null, 2)}),
      timeout_seconds: input('timeout_seconds', {type: 'number', min: 1, max: 120, value: job?.timeout_seconds ?? 30}),
      concurrency: select('concurrency', [['allow', 'allow: runs may overlap'],
        ['forbid', 'forbid: skip a run while one is under way']], job?.concurrency ?? 'allow'),
      catch_up: select('catch_up', [['latest', 'latest: run the last missed slot'], ['all', 'all: run every missed slot'],
        ['none', 'none: skip missed slots']], job?.catch_up ?? 'latest'),
      jitter_seconds: input('jitter_seconds', {type: 'number', min: 0, value: job?.jitter_seconds ?? 0}),
      completion: select('completion', [['response', 'response: a 2xx ends the run'],
        ['callback', 'callback: the target reports back']], job?.completion ?? 'response'),
      callback_timeout_seconds: input('callback_timeout_seconds', {type: 'number', min: 1,
        value: job?.callback_timeout_seconds ?? ''}),
      pause_after_failures: input('pause_after_failures', {type: 'number', min: 1,
        value: job?.pause_after_failures ?? ''}),
      end_at: input('end_at', {type: 'datetime-local', step: 1, value: isoToLocal(job?.end_at)}),
    };

    const words = h('div', {class: 'cron-words', 'data-test': 'cron-words'});
    const preview = h('ul', {class: 'plain preview', 'data-test': 'cron-preview'});
    const summary = formError();
    const cronPart = h('div', {class: 'cron-part'},
      field('Cron expression', f.cron, 'minute hour day-of-month month day-of-week, or a leading seconds field; '
        + '@hourly, @daily… and names such as MON or JAN work too.'),
      words,
      field('Time zone', f.timezone, 'An IANA zone such as Europe/Berlin; the schedule follows its daylight saving.'),
      h('div', {class: 'field'}, h('label', {}, 'Next runs'), preview));
    const oncePart = h('div', {class: 'once-part'},
      field('Run at', f.run_at, 'In your browser\'s time zone; sent as an instant.'));
    const cronOnly = h('div', {class: 'cron-only'},
      field('Missed runs', f.catch_up, 'What to do with slots that passed while the server was down or the job paused.'),
      field('Jitter (seconds)', f.jitter_seconds, 'Spread runs by up to this many seconds after each slot.'));

    const form = h('form', {class: 'card job-form', novalidate: true, 'data-test': 'job-form'},
      h('h2', {}, 'What and when'),
      field('Name', f.name),
      field('Type', f.type),
      cronPart, oncePart,
      h('h2', {}, 'The request'),
      field('URL', f.url, 'Cronhook calls it and signs each request (Cronly style and Standard Webhooks).'),
      field('Method', f.method),
      field('Headers', f.headers, 'One "Name: value" per line.'),
      field('Body', f.body, 'JSON (sent as application/json) or any text.'),
      h('h2', {}, 'Policies'),
      field('Timeout (seconds)', f.timeout_seconds, '1 to 120.'),
      field('Concurrency', f.concurrency),
      cronOnly,
      field('Completion', f.completion),
      field('Callback timeout (seconds)', f.callback_timeout_seconds, 'For completion by callback.'),
      field('Pause after failures in a row', f.pause_after_failures, 'Empty: never pause on failures.'),
      field('End at', f.end_at, 'Empty: no end.'),
      summary,
      h('div', {class: 'actions'},
        h('button', {type: 'submit', class: 'primary', 'data-test': 'save'}, editing ? 'Save changes' : 'Create job'),
        link(editing ? `#/jobs/${encode(id)}` : '#/jobs', 'Cancel')));

    function showType() {
      const cron = f.type.value === 'cron';
      cronPart.hidden = !cron;
      cronOnly.hidden = !cron;
      oncePart.hidden = cron;
    }

    let asked = 0;
    let typing;
    async function previewCron() {
      const mine = ++asked;
      const cron = f.cron.value.trim();
      const cronError = form.querySelector('[data-field-error="cron"]');
      const zoneError = form.querySelector('[data-field-error="timezone"]');
      if (!cron) {
        fill(words);
        fill(preview, h('li', {class: 'muted'}, 'Type an expression to see its next runs.'));
        return;
      }
      try {
        const answer = await post('/v1/cron/preview', {cron, timezone: f.timezone.value.trim() || undefined, count: 5});
        if (mine !== asked) return;
        fill(cronError);
        fill(zoneError);
        f.cron.classList.remove('invalid');
        f.timezone.classList.remove('invalid');
        fill(words, describeCron(cron) || '');
        fill(preview, answer.next_runs.length
          ? answer.next_runs.map(at => h('li', {}, time(at), ' ', h('span', {class: 'muted'}, relative(at))))
          : h('li', {class: 'muted'}, 'It never runs again.'));
      } catch (error) {
        if (mine !== asked) return;
        if (!(error instanceof ApiError) || error.status !== 422) throw error;
        const errors = error.fieldErrors();
        fill(cronError, errors.cron || '');
        fill(zoneError, errors.timezone || '');
        f.cron.classList.toggle('invalid', Boolean(errors.cron));
        f.timezone.classList.toggle('invalid', Boolean(errors.timezone));
        fill(words);
        fill(preview);
      }
    }
    const schedulePreview = () => {
      clearTimeout(typing);
      typing = setTimeout(previewCron, 250);
    };
    f.cron.addEventListener('input', schedulePreview);
    f.timezone.addEventListener('input', schedulePreview);
    f.type.addEventListener('change', showType);

    function collect() {
      const cron = f.type.value === 'cron';
      const body = {
        name: f.name.value.trim(),
        url: f.url.value.trim(),
        method: f.method.value,
        headers: parseHeaders(f.headers.value),
        body: parseBody(f.body.value),
        timeout_seconds: whole(f.timeout_seconds.value) ?? null,
        concurrency: f.concurrency.value,
        completion: f.completion.value,
        callback_timeout_seconds: whole(f.callback_timeout_seconds.value) ?? null,
        pause_after_failures: whole(f.pause_after_failures.value) ?? null,
        end_at: localToIso(f.end_at.value),
      };
      if (cron) {
        Object.assign(body, {cron: f.cron.value.trim(), timezone: f.timezone.value.trim(),
          catch_up: f.catch_up.value, jitter_seconds: whole(f.jitter_seconds.value) ?? 0});
      } else {
        body.run_at = localToIso(f.run_at.value);
      }
      return body;
    }

    const initial = editing ? collect() : null;

    submits(form, async () => {
      let body = collect();
      if (editing) {
        body = Object.fromEntries(Object.entries(body)
          .filter(([k, v]) => JSON.stringify(v) !== JSON.stringify(initial[k])));
      } else {
        // Empty optional fields keep the API's defaults.
        body = Object.fromEntries(Object.entries(body).filter(([, v]) => v !== null && v !== undefined && v !== ''));
      }
      const saved = editing ? await patch(`/v1/jobs/${encode(id)}`, body) : await post('/v1/jobs', body);
      if (!editing) {
        created.id = saved.id;
        created.secret = saved.signing_secret;
      }
      location.hash = `#/jobs/${encode(saved.id)}`;
    });

    fill(ctx.main,
      h('p', {class: 'crumbs'}, link('#/jobs', 'Jobs'), ' / ', editing ? link(`#/jobs/${encode(id)}`, job.name) : null),
      h('div', {class: 'page-head'}, h('h1', {}, editing ? `Edit ${job.name}` : 'New job')),
      form,
      h('datalist', {id: 'zones'}, (Intl.supportedValuesOf?.('timeZone') || ['UTC']).map(z => h('option', {value: z}))));
    showType();
    if (f.cron.value) previewCron(); else fill(preview, h('li', {class: 'muted'}, 'Type an expression to see its next runs.'));
    f.name.focus();
  },
};
