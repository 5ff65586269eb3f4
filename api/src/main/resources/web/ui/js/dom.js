// Builds the page from elements and text nodes only. Nothing here parses markup: whatever a user typed (a job's
// name, a response body) reaches the page through createTextNode or an attribute value, and shows as those characters.

/**
 * h('a', {href: '#/jobs', class: 'x', onclick: fn, dataset: {id: 1}}, 'text', child, [more]) → an element.
 * Attributes whose name starts with "on" become listeners; null, undefined and false attributes and children are
 * left out.
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') {
      el.addEventListener(name.slice(2), value);
    } else if (name === 'dataset') {
      Object.assign(el.dataset, value);
    } else if (name === 'value' && 'value' in el) {
      // Both the value and its default, so that form.reset() goes back to it.
      el.value = value;
      if ('defaultValue' in el) el.defaultValue = value;
    } else if (name === 'checked') {
      el.checked = el.defaultChecked = Boolean(value);
    } else if (name === 'selected') {
      el.selected = el.defaultSelected = Boolean(value);
    } else if (name === 'disabled') {
      el.disabled = Boolean(value);
    } else {
      el.setAttribute(name, value === true ? '' : String(value));
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) {
      append(el, child);
    } else if (child instanceof Node) {
      el.appendChild(child);
    } else {
      el.appendChild(document.createTextNode(String(child)));
    }
  }
}

/** Replaces what el holds. */
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

/** A table: columns [{title, cell: row => node|text, class}], rows, and what to show when there are none. */
export function table(columns, rows, empty, rowAttrs = () => ({})) {
  if (!rows.length) {
    return h('div', {class: 'empty'}, empty);
  }
  return h('table', {class: 'grid'},
    h('thead', {}, h('tr', {}, columns.map(c => h('th', {class: c.class}, c.title)))),
    h('tbody', {}, rows.map(row => h('tr', rowAttrs(row), columns.map(c => h('td', {class: c.class}, c.cell(row)))))));
}

/** A status word as a coloured badge; the word is the API's own. */
export function badge(status) {
  if (!status) return h('span', {class: 'badge muted'}, '—');
  return h('span', {class: `badge s-${String(status).replace(/[^a-z0-9_]/g, '')}`}, String(status).replace(/_/g, ' '));
}

export function link(href, ...children) {
  return h('a', {href}, ...children);
}

/**
 * A button that changes something: it disables itself while its action runs and reports a failure. Only admin keys
 * are offered these (class "write"; the read-key test looks for it).
 */
export function action(label, run, {danger = false, confirm: question = null, testId = null} = {}) {
  const button = h('button', {type: 'button', class: `${danger ? 'danger' : 'secondary'} write`, 'data-test': testId},
    label);
  button.addEventListener('click', async () => {
    if (question && !window.confirm(question)) return;
    button.disabled = true;
    try {
      await run();
    } catch (error) {
      notice(error.message || String(error), 'error');
    } finally {
      button.disabled = false;
    }
  });
  return button;
}

/** A short message at the top of the page; errors stay until dismissed, others fade. */
export function notice(message, kind = 'info', {keep = false} = {}) {
  const area = document.getElementById('notices');
  if (!area) return null;
  const item = h('div', {class: `notice ${kind}`, role: kind === 'error' ? 'alert' : 'status'},
    h('span', {}, message),
    h('button', {type: 'button', class: 'close', 'aria-label': 'Dismiss', onclick: () => item.remove()}, '×'));
  area.appendChild(item);
  if (kind !== 'error' && !keep) setTimeout(() => item.remove(), 6000);
  return item;
}

/** A value to copy, with a button that copies it. */
export function copyable(value, testId = null) {
  const field = h('input', {type: 'text', readonly: true, value, class: 'copy', 'data-test': testId});
  const button = h('button', {type: 'button', class: 'secondary'}, 'Copy');
  button.addEventListener('click', async () => {
    field.select();
    try {
      await navigator.clipboard.writeText(value);
      button.textContent = 'Copied';
    } catch {
      document.execCommand('copy');
      button.textContent = 'Copied';
    }
    setTimeout(() => { button.textContent = 'Copy'; }, 1500);
  });
  return h('span', {class: 'copyable'}, field, button);
}
