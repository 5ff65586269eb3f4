// A cron expression in words, for the form and the job page. It only describes: whether an expression is valid and
// when it runs next always come from the server (POST /v1/cron/preview), so the page never disagrees with the
// scheduler. Returns null for text it cannot describe.

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October',
  'November', 'December'];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const MONTH_NAMES = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAY_NAMES = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

const MACROS = {
  '@yearly': 'At 00:00 on January 1',
  '@annually': 'At 00:00 on January 1',
  '@monthly': 'At 00:00 on day 1 of every month',
  '@weekly': 'At 00:00 every Sunday',
  '@daily': 'At 00:00 every day',
  '@midnight': 'At 00:00 every day',
  '@hourly': 'At minute 0 of every hour',
};

export function describeCron(expression) {
  const text = (expression || '').trim();
  if (!text) return null;
  if (text.startsWith('@')) return MACROS[text.toLowerCase()] || null;
  const fields = text.split(/\s+/);
  if (fields.length !== 5 && fields.length !== 6) return null;
  const [second, minute, hour, dom, month, dow] = fields.length === 6 ? fields : ['0', ...fields];
  try {
    const time = timeOfDay(second, minute, hour);
    let day = days(dom, month, dow);
    // "Every 15 minutes" needs no "every day" after it.
    if (day === 'every day' && /\bevery\b/i.test(time)) day = '';
    return [time, day].filter(Boolean).join(' ');
  } catch {
    return null;
  }
}

function number(token, names = null, offset = 0) {
  if (/^\d+$/.test(token)) return Number(token);
  const index = names ? names.indexOf(token.toUpperCase()) : -1;
  if (index < 0) throw new Error(`not a value: ${token}`);
  return index + offset;
}

/** A single value, or null when the field is a list, range, step or star. */
function single(field, names = null, offset = 0) {
  return /^[0-9A-Za-z]+$/.test(field) ? number(field, names, offset) : null;
}

/** Plain values of a list, or null if any part is a range or step. */
function values(field, names = null, offset = 0) {
  const parts = field.split(',');
  if (parts.some(p => !/^[0-9A-Za-z]+$/.test(p))) return null;
  return parts.map(p => number(p, names, offset));
}

function words(items) {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

/** One field in words: "5", "5 through 10", "every 15th", "every 2nd from 1 through 9", lists of those. */
function field(text, name = v => String(v), names = null, offset = 0) {
  return words(text.split(',').map(part => {
    const [range, stepText] = part.split('/');
    const step = stepText === undefined ? null : Number(stepText);
    if (stepText !== undefined && !/^\d+$/.test(stepText)) throw new Error('bad step');
    let span;
    if (range === '*') {
      span = null;
    } else if (range.includes('-')) {
      const [a, b] = range.split('-');
      span = `${name(number(a, names, offset))} through ${name(number(b, names, offset))}`;
    } else {
      const start = number(range, names, offset);
      if (step === null) return name(start);
      span = `${name(start)} onwards`;
    }
    if (step === null) return span === null ? 'every' : span;
    const every = `every ${ordinal(step)}`;
    return span === null ? every : `${every} from ${span}`;
  }));
}

function ordinal(n) {
  if (n === 1) return '';
  const suffix = n % 100 >= 11 && n % 100 <= 13 ? 'th' : ({1: 'st', 2: 'nd', 3: 'rd'}[n % 10] || 'th');
  return `${n}${suffix}`;
}

const pad = n => String(n).padStart(2, '0');

function timeOfDay(second, minute, hour) {
  const s = single(second);
  if (minute === '*' && hour === '*') {
    if (second === '*') return 'Every second';
    if (/^\*\/\d+$/.test(second)) return `Every ${second.slice(2)} seconds`;
  }
  const m = values(minute);
  const hs = values(hour);
  if (m && hs && m.length * hs.length <= 6) {
    const times = hs.flatMap(hh => m.map(mm => `${pad(hh)}:${pad(mm)}${s ? `:${pad(s)}` : ''}`));
    if (s !== null) return `At ${words(times)}`;
  }
  let minutes;
  if (minute === '*') {
    minutes = 'Every minute';
  } else if (/^\*\/\d+$/.test(minute)) {
    minutes = `Every ${minute.slice(2)} minutes`;
  } else {
    minutes = `At minute ${m ? words(m.map(String)) : field(minute)}`;
  }
  let hours;
  if (hour === '*') {
    hours = minute === '*' || minute.startsWith('*/') ? '' : 'of every hour';
  } else if (/^\*\/\d+$/.test(hour)) {
    hours = `of every ${ordinal(Number(hour.slice(2)))} hour`.replace('every  ', 'every ');
  } else if (/^\d+-\d+\/\d+$/.test(hour)) {
    const [range, step] = hour.split('/');
    hours = `of every ${ordinal(Number(step))} hour from ${range.replace('-', ' through ')}`.replace('every  ', 'every ');
  } else {
    hours = `during hour ${field(hour)}`;
  }
  const seconds = s === 0 ? '' : `at second ${field(second)}`;
  return [[minutes, hours].filter(Boolean).join(' '), seconds].filter(Boolean).join(', ');
}

function days(dom, month, dow) {
  const dayName = v => DAYS[v];
  const monthName = v => MONTHS[v - 1];
  const domStar = dom.startsWith('*');
  const dowStar = dow.startsWith('*');
  let text;
  if (dom === '*' && dow === '*') {
    text = month === '*' ? 'every day' : '';
  } else if (dowStar && dow !== '*' && dom === '*') {
    text = `on ${field(dow, dayName, DAY_NAMES)} day of the week`;
  } else if (dom === '*' || (domStar && dow !== '*')) {
    text = `on ${field(dow, dayName, DAY_NAMES)}`;
    if (dom !== '*') text += ` (when the day of the month is ${field(dom)})`;
  } else if (dow === '*' || (dowStar && dom !== '*')) {
    text = `on day ${field(dom)} of the month`;
    if (dow !== '*') text += ` (when the weekday is ${field(dow, dayName, DAY_NAMES)})`;
  } else {
    // Neither is a star: crontab runs on a day matching either.
    text = `on day ${field(dom)} of the month and on ${field(dow, dayName, DAY_NAMES)}`;
  }
  if (month !== '*') text += `${text ? ' ' : ''}in ${field(month, monthName, MONTH_NAMES, 1)}`;
  return text;
}
