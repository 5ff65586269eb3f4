// The dashboard: a shell with the navigation, a sign-in with an API key, and a router over the URL's fragment.
// Each page is a module whose render(ctx) draws into ctx.main and may refresh itself with ctx.every().

import {api, session, whenUnauthorized, ApiError} from './api.js';
import {h, fill, notice} from './dom.js';
import jobs from './pages/jobs.js';
import job from './pages/job.js';
import jobForm from './pages/job-form.js';
import executions from './pages/executions.js';
import webhooks from './pages/webhooks.js';
import webhook from './pages/webhook.js';
import integrations from './pages/integrations.js';
import incidents from './pages/incidents.js';
import incident from './pages/incident.js';
import checks from './pages/checks.js';
import silences from './pages/silences.js';
import apiKeys from './pages/api-keys.js';
import nodes from './pages/nodes.js';

const ROUTES = [
  [/^\/jobs$/, jobs],
  [/^\/jobs\/new$/, jobForm],
  [/^\/jobs\/([^/]+)\/edit$/, jobForm],
  [/^\/jobs\/([^/]+)$/, job],
  [/^\/executions$/, executions],
  [/^\/webhooks$/, webhooks],
  [/^\/webhooks\/([^/]+)$/, webhook],
  [/^\/integrations$/, integrations],
  [/^\/incidents$/, incidents],
  [/^\/incidents\/([^/]+)$/, incident],
  [/^\/checks$/, checks],
  [/^\/silences$/, silences],
  [/^\/api-keys$/, apiKeys],
  [/^\/nodes$/, nodes],
];

const NAV = [
  ['#/jobs', 'Jobs'], ['#/executions', 'Executions'], ['#/incidents', 'Incidents'], ['#/checks', 'Checks'],
  ['#/webhooks', 'Webhooks'], ['#/integrations', 'Integrations'], ['#/silences', 'Silences'],
  ['#/api-keys', 'API keys'], ['#/nodes', 'Nodes'],
];

const root = document.getElementById('app');
let me = null;
/** One handle per poller of the page shown: its pending timeout. */
let timers = new Set();
let generation = 0;
let lost = null;

whenUnauthorized(() => {
  session.signOut();
  me = null;
  showSignIn('Your key is no longer accepted. Sign in again.');
});

function stopTimers() {
  timers.forEach(handle => clearTimeout(handle.id));
  timers = new Set();
}

/** One notice while refreshes fail, gone when one works again. */
function connection(ok, error = null) {
  if (ok) {
    lost?.remove();
    lost = null;
  } else if (!lost || !lost.isConnected) {
    lost = notice(`Cannot refresh: ${error?.message || error}. Trying again.`, 'error');
  }
}

async function route() {
  stopTimers();
  const mine = ++generation;
  if (!session.key()) {
    showSignIn();
    return;
  }
  if (!me) {
    try {
      me = await api('GET', '/v1/me', undefined, {quiet401: true});
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) {
        session.signOut();
        showSignIn('That key is not accepted.');
      } else {
        // The server is restarting or unreachable: keep the key and offer to try again.
        fill(root, h('div', {class: 'empty error'}, `Cannot reach Cronhook: ${error.message}. `,
          h('button', {type: 'button', class: 'secondary', onclick: route}, 'Try again')));
      }
      return;
    }
  }
  const [path, search = ''] = (location.hash || '#/jobs').slice(1).split('?');
  const match = ROUTES.map(([pattern, page]) => [path.match(pattern), page]).find(([m]) => m);
  if (!match) {
    location.replace('#/jobs');
    return;
  }
  const [params, page] = match;
  const main = h('main', {id: 'main', 'data-page': path});
  fill(root, shell(path), h('div', {id: 'notices'}), main);
  const ctx = {
    main,
    params: params.slice(1).map(decodeURIComponent),
    query: new URLSearchParams(search),
    me,
    canWrite: me.scope === 'admin',
    /**
     * Runs fn ms after it last finished, while this page is shown and the tab visible: never two at once, and a
     * failure shows one notice, not one per try.
     */
    every(ms, fn) {
      if (mine !== generation) return;
      const handle = {id: null};
      timers.add(handle);
      const tick = async () => {
        if (mine !== generation) return;
        if (!document.hidden) {
          try {
            await fn();
            connection(true);
          } catch (error) {
            if (mine === generation && !(error instanceof ApiError && error.status === 401)) connection(false, error);
          }
        }
        if (mine === generation) handle.id = setTimeout(tick, ms);
      };
      handle.id = setTimeout(tick, ms);
    },
    current: () => mine === generation,
  };
  document.title = `${page.title || 'Cronhook'} · Cronhook`;
  try {
    await page.render(ctx);
    if (mine === generation) main.dataset.ready = 'true';
  } catch (error) {
    if (mine !== generation) return;
    fill(main, h('div', {class: 'empty error'}, error instanceof ApiError && error.status === 404
      ? 'Not found: it may have been deleted.' : `Could not load this page: ${error.message}`));
  }
}

function shell(path) {
  const section = `#/${path.split('/')[1]}`;
  return h('header', {class: 'top'},
    h('a', {class: 'brand', href: '#/jobs'}, 'Cronhook'),
    h('nav', {}, NAV.map(([href, label]) => h('a', {href, class: href === section ? 'active' : null}, label))),
    h('div', {class: 'who'},
      h('span', {'data-test': 'who'}, me.name || 'API key'),
      h('span', {class: `badge scope-${me.scope}`, 'data-test': 'scope'}, me.scope),
      h('a', {href: '/docs', target: '_blank', rel: 'noopener'}, 'API docs'),
      h('button', {type: 'button', class: 'link', 'data-test': 'sign-out', onclick: () => {
        session.signOut();
        me = null;
        show('#/jobs');
      }}, 'Sign out')));
}

/** Goes to a page: a new fragment routes by its hashchange, the same one is routed again here. */
function show(fragment) {
  if (location.hash === fragment) {
    route();
  } else {
    location.hash = fragment;
  }
}

function showSignIn(message = null) {
  stopTimers();
  generation++;
  // Text shown as dots by CSS rather than a password field, which browsers offer to save to disk; and no name, so
  // the key could never be sent as a form field.
  const input = h('input', {type: 'text', id: 'api-key', class: 'secret', autocomplete: 'off', spellcheck: 'false',
    autocapitalize: 'off', required: true, placeholder: 'chk_…', 'aria-describedby': 'api-key-error'});
  const error = h('div', {class: 'field-error', id: 'api-key-error', 'data-field-error': 'api-key'}, message || '');
  const form = h('form', {class: 'sign-in card', method: 'post', action: '#', onsubmit: async event => {
    event.preventDefault();
    const key = input.value.trim();
    try {
      me = await api('GET', '/v1/me', undefined, {key, quiet401: true});
      session.signIn(key);
      show(location.hash && location.hash !== '#/' ? location.hash : '#/jobs');
    } catch (e) {
      fill(error, e instanceof ApiError && e.status === 401 ? 'That key is not accepted.' : e.message);
    }
  }},
  h('h1', {}, 'Cronhook'),
  h('p', {}, 'Sign in with an API key. It is kept in this browser tab only, until you close it or sign out.'),
  h('label', {for: 'api-key'}, 'API key'),
  input,
  error,
  h('button', {type: 'submit', class: 'primary'}, 'Sign in'),
  h('p', {class: 'hint'}, 'The first start of the server prints an admin key; admins create more under API keys.'));
  fill(root, form);
  input.focus();
}

window.addEventListener('hashchange', route);
window.addEventListener('unhandledrejection', event => notice(event.reason?.message || String(event.reason), 'error'));
route();
