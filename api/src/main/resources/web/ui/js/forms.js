// Form fields with a place for the API's error beside each, and the one way a form shows a problem+json reply:
// each errors[] entry next to the field it names, anything else at the top of the form.

import {h, fill, notice} from './dom.js';
import {ApiError} from './api.js';

/** A labelled field; control is an input, select or textarea whose name is the API's field name. */
export function field(label, control, hint = null) {
  const name = control.getAttribute('name');
  control.id = control.id || `f-${name}`;
  control.setAttribute('aria-describedby', `${control.id}-error`);
  return h('div', {class: 'field', 'data-field': name},
    h('label', {for: control.id}, label),
    control,
    hint ? h('div', {class: 'hint'}, hint) : null,
    h('div', {class: 'field-error', id: `${control.id}-error`, 'data-field-error': name}));
}

/** Checkboxes sent as one array field; {selected()} reads the ticked values. Errors show beneath the group. */
export function checkboxes(label, name, values, ticked = () => true) {
  const group = h('div', {class: 'checks'}, values.map(value => h('label', {},
    h('input', {type: 'checkbox', value, checked: ticked(value)}), ' ', value)));
  const element = h('fieldset', {class: 'field', 'data-field': name}, h('legend', {}, label), group,
    h('div', {class: 'field-error', 'data-field-error': name}));
  return {element, selected: () => [...group.querySelectorAll('input:checked')].map(box => box.value)};
}

export function input(name, attrs = {}) {
  return h('input', {name, type: 'text', autocomplete: 'off', ...attrs});
}

export function select(name, options, value = null, attrs = {}) {
  return h('select', {name, ...attrs}, options.map(option => {
    const [optionValue, label] = Array.isArray(option) ? option : [option, option];
    return h('option', {value: optionValue, selected: optionValue === value}, label);
  }));
}

export function textarea(name, attrs = {}) {
  return h('textarea', {name, rows: 4, ...attrs});
}

/** Clears the errors a form shows. */
export function clearErrors(form) {
  form.querySelectorAll('[data-field-error]').forEach(el => fill(el));
  form.querySelectorAll('.invalid').forEach(el => el.classList.remove('invalid'));
  const summary = form.querySelector('.form-error');
  if (summary) fill(summary);
}

/**
 * Shows a refusal: a field error beside its field (a nested name such as "headers.X" lands on "headers"), the rest
 * in the form's summary.
 */
export function showErrors(form, error) {
  clearErrors(form);
  const summary = form.querySelector('.form-error');
  if (!(error instanceof ApiError)) {
    fill(summary, error.message || String(error));
    return;
  }
  const rest = [];
  for (const [name, message] of Object.entries(error.fieldErrors())) {
    const slot = errorSlot(form, name);
    if (slot) {
      fill(slot, message);
      slot.closest('.field')?.querySelector('input, select, textarea')?.classList.add('invalid');
    } else {
      rest.push(name ? `${name}: ${message}` : message);
    }
  }
  if (rest.length || !Object.keys(error.fieldErrors()).length) {
    fill(summary, rest.length ? rest.join('; ') : error.message);
  }
}

function errorSlot(form, name) {
  for (let key = name; key; key = key.includes('.') ? key.slice(0, key.lastIndexOf('.')) : '') {
    const slot = form.querySelector(`[data-field-error="${CSS.escape(key)}"]`);
    if (slot) return slot;
  }
  return null;
}

/**
 * Runs save when the form is submitted, its button disabled meanwhile; a refusal shows beside the fields it names
 * and the first of them takes the focus. Once saved, then (a list's refresh) runs outside the form: its failure is
 * not the save's, and must not invite a second submit.
 */
export function submits(form, save, {then = null} = {}) {
  form.addEventListener('submit', async event => {
    event.preventDefault();
    clearErrors(form);
    const button = form.querySelector('button[type=submit]');
    if (button) button.disabled = true;
    try {
      await save();
    } catch (error) {
      showErrors(form, error);
      form.querySelector('.invalid')?.focus();
      return;
    } finally {
      if (button) button.disabled = false;
    }
    if (then) then().catch(error => notice(`Saved, but the list could not be refreshed: ${error.message}`, 'error'));
  });
}

export function formError() {
  return h('div', {class: 'form-error', role: 'alert'});
}

/** A whole number from a field, or undefined when it is empty (the field then keeps the API's default). */
export function whole(value) {
  const text = String(value ?? '').trim();
  if (!text) return undefined;
  return /^-?\d+$/.test(text) ? Number(text) : text;
}
