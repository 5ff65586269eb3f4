// A job's outcomes and durations over time: one point per finished execution (its last attempt's duration), green
// for a success and red for anything else, drawn with uPlot from its webjar.

import uPlot from '/webjars/uplot/dist/uPlot.esm.js';
import {h, fill} from './dom.js';
import {duration} from './format.js';

const FINISHED = new Set(['succeeded', 'failed', 'retry_scheduled']);

/** Points of the executions that have an attempt with a duration, oldest first. */
export function points(executions) {
  return executions
    .map(e => {
      const attempts = e.attempts || [];
      const last = attempts[attempts.length - 1];
      if (!last || last.duration_ms === null || last.duration_ms === undefined || !FINISHED.has(e.status)) return null;
      return {at: new Date(last.finished_at || last.started_at).getTime() / 1000, ms: last.duration_ms,
        ok: e.status === 'succeeded'};
    })
    .filter(Boolean)
    .sort((a, b) => a.at - b.at);
}

export class OutcomeChart {
  constructor(container) {
    this.container = container;
    this.plot = null;
    this.summary = h('p', {class: 'muted', 'data-test': 'chart-summary'});
    this.canvas = h('div', {class: 'chart'});
    fill(container, this.summary, this.canvas);
  }

  update(executions) {
    const data = points(executions);
    const ok = data.filter(p => p.ok).length;
    if (!data.length) {
      fill(this.summary, 'No finished runs yet: the chart fills in as the job runs.');
      this.canvas.hidden = true;
      return;
    }
    this.canvas.hidden = false;
    const times = data.map(p => p.ms).sort((a, b) => a - b);
    const median = times[Math.floor(times.length / 2)];
    fill(this.summary, `Last ${data.length} finished runs: ${ok} succeeded, ${data.length - ok} did not; `
      + `median duration ${duration(median)}.`);
    const series = [data.map(p => p.at), data.map(p => (p.ok ? p.ms : null)), data.map(p => (p.ok ? null : p.ms))];
    if (this.plot && this.plot.series.length === 3) {
      this.plot.setData(series);
      return;
    }
    const point = color => ({stroke: color, fill: color, width: 0, paths: () => null,
      points: {show: true, size: 7, stroke: color, fill: color}});
    this.plot = new uPlot({
      width: Math.max(320, this.container.clientWidth - 8),
      height: 200,
      legend: {show: true, live: false},
      scales: {x: {time: true}, y: {range: (u, min, max) => [0, Math.max(10, max * 1.15)]}},
      axes: [{}, {label: 'duration (ms)', size: 60}],
      series: [{}, {label: 'succeeded', ...point('#1a7f37')}, {label: 'failed', ...point('#cf222e')}],
    }, series, this.canvas);
  }
}
