import { getAllPages } from './api.js';
import { showError } from './alerts.js';
import { createLoadingDialog } from './dialogs.js';
import { byId, definitions, el, setText } from './dom.js';
import { money, timeElement, when, words } from './format.js';
import { linesTable } from './lines.js';

// "History of job …": the job's runs, newest first, each with its written lines on demand.

const LINES_PAGE_SIZE = 2000;

export function createHistoryDialog({ onClosed }) {
  const status = byId('history-status');
  const runs = byId('history-runs');
  const dialog = createLoadingDialog({
    prefix: 'history',
    title: item => `History of job ${item.job}`,
    url: item => item.historyUrl,
    loading: 'Loading history…',
    failed: 'The history could not be loaded.',
    reset: () => runs.replaceChildren(),
    show(history) {
      const shown = history.runs ?? [];
      runs.replaceChildren(...shown.map((run, index) => runItem(run, index, dialog.nodes.alert)));
      setText(status, runsSummary(shown.length));
    },
    onClosed,
  });
  return dialog;
}

function runsSummary(count) {
  if (count === 0) return 'This job has not been re-imported yet.';
  return count === 1 ? '1 run.' : `${count} runs, newest first.`;
}

function runItem(run, index, alert) {
  const linesId = `run-lines-${index}`;
  const linesRegion = el('div', {
    class: 'run-lines table-wrap', id: linesId, role: 'region', 'aria-label': `Lines of the run of ${when(run.createdAt)}`, tabindex: '0', hidden: true,
  });
  const toggle = el('button', { type: 'button', class: 'button small', 'aria-expanded': 'false', 'aria-controls': linesId }, 'Show lines');
  toggle.addEventListener('click', () => toggleLines(toggle, linesRegion, run, alert));
  return el('li', { class: `run run-${run.status?.toLowerCase()}` },
    el('h3', { class: 'run-heading' }, timeElement(run.createdAt)),
    el('p', { class: 'run-status-text', text: run.statusText }),
    el('dl', { class: 'run-details' }, definitions([
      ['Trigger', words(run.trigger)],
      ['Requested by', run.requestedBy || '—'],
      ['Completed', timeElement(run.completedAt)],
      ['Procore before → after', `${money(run.totals?.procoreBefore)} → ${money(run.totals?.procoreAfter)}`],
    ])),
    run.error ? el('p', { class: 'run-error', text: run.error }) : null,
    run.messages?.length ? el('ul', { class: 'run-messages' }, run.messages.map(message => el('li', { text: message }))) : null,
    toggle,
    linesRegion);
}

async function toggleLines(toggle, region, run, alert) {
  const expand = toggle.getAttribute('aria-expanded') !== 'true';
  showExpanded(toggle, region, expand);
  if (!expand || region.dataset.loaded) return;
  region.replaceChildren(el('p', { class: 'loading', role: 'status', text: 'Loading lines…' }));
  try {
    const { lines, total } = await fetchAllLines(run.linesUrl);
    region.dataset.loaded = 'true';
    region.replaceChildren(
      el('p', { class: 'secondary', text: `${lines.length} of ${total ?? lines.length} lines` }),
      linesTable({ label: `Lines of the run of ${when(run.createdAt)}`, lines, withOutcome: true }));
  } catch (error) {
    region.replaceChildren();
    showExpanded(toggle, region, false);
    showError(alert, error);
  }
}

function showExpanded(toggle, region, expanded) {
  toggle.setAttribute('aria-expanded', String(expanded));
  toggle.textContent = expanded ? 'Hide lines' : 'Show lines';
  region.hidden = !expanded;
}

async function fetchAllLines(linesUrl) {
  const url = new URL(linesUrl, location.href);
  url.searchParams.set('pageSize', String(LINES_PAGE_SIZE));
  const { items, last } = await getAllPages(url.pathname + url.search, 'lines');
  return { lines: items, total: last.total };
}
