// A list read a page at a time, refreshed while it shows its first page only.

import {h} from './dom.js';

export const PAGE = 100;

/**
 * fetch(cursor) answers {data, next_cursor}; show(rows) draws them. load() reads the first page again (a new filter),
 * more() appends the next; an answer overtaken by a newer request is dropped. refresh() is for polling: it waits for
 * a read under way and does nothing once more than the first page is shown, which it would otherwise drop.
 */
export function pagedList(ctx, fetch, show) {
  let rows = [];
  let cursor = null;
  let asked = 0;
  let loading = false;

  async function read(more) {
    const mine = ++asked;
    loading = true;
    try {
      const page = await fetch(more ? cursor : null);
      if (!ctx.current() || mine !== asked) return;
      rows = more ? rows.concat(page.data) : page.data;
      cursor = page.next_cursor;
      show(rows);
    } finally {
      if (mine === asked) loading = false;
    }
  }

  return {
    load: () => read(false),
    refresh: () => (rows.length <= PAGE && !loading ? read(false) : null),
    /** The Show more button and the note that refreshing stopped, as the list's footer. */
    footer: () => [
      cursor ? h('button', {type: 'button', class: 'secondary more', onclick: () => read(true)}, 'Show more') : null,
      rows.length > PAGE ? h('span', {class: 'muted'}, ' Refreshing stops while more are shown.') : null,
    ],
  };
}
