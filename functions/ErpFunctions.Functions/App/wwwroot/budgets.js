import { getAllPages, postJson } from './api.js';
import { clearAlert, showError } from './alerts.js';
import { byId, el, setText } from './dom.js';
import { leftOut, money, NONE, timeElement } from './format.js';

// The jobs table: server-side filter, client-side search and sort, polling while totals are computed.

const PREFLIGHT_POLL_MS = 2000;
/** A preflight waiting for a call budget may wait for hours: the list is read again once a minute, or when it resumes. */
const PREFLIGHT_WAITING_POLL_MS = 60_000;

/** How the operator fixes each reason a re-import is unavailable. */
const FIXES = {
  ProcoreBudgetLocked: 'Unlock the budget in Procore (Budget tool › Unlock Budget), then refresh.',
  BudgetToolInactive: "Activate the Budget tool in the project's Admin settings.",
  JobNotLinked: 'Add and sync the job with its Procore project in ERP Integrations.',
  PermissionDenied: 'Ask a Procore admin for Standard or Admin on ERP Integrations.',
  SpectrumBudgetNotLocked: 'Finalize and lock the budget in Spectrum.',
  EstimatesNotPosted: 'Post the estimate entries in Spectrum.',
};

const SORT_KEYS = {
  job: item => item.job,
  project: item => item.projectName,
  state: item => item.state,
  spectrum: item => item.totals?.currentSpectrum,
  procore: item => item.totals?.currentProcore,
  new: item => item.totals?.newProcoreOnReimport,
  lastRun: item => item.lastRun?.at,
};

const collator = new Intl.Collator('en-US', { numeric: true, sensitivity: 'base' });

/** actions: { preview(item), history(item), reimport(item) }, called with the row's job. */
export function createBudgetList(actions) {
  const view = {
    filter: 'all',
    includeCompleted: false,
    search: '',
    sort: { key: 'job', direction: 'ascending' },
    items: [],
    loadSequence: 0,
    pollTimer: null,
  };
  const nodes = {
    alert: byId('page-alert'),
    rows: byId('budget-rows'),
    table: byId('budget-table'),
    status: byId('list-status'),
    preflightText: byId('preflight-text'),
    preflightProgress: byId('preflight-progress'),
  };

  wireControls(view, nodes, actions, () => load(view, nodes, { announce: true }));

  return {
    start: () => load(view, nodes, { announce: true }),
    reload: () => load(view, nodes, { announce: false }),
    stop: () => stop(view, nodes),
    focusAction: (action, job) => focusButton(findActionButton(nodes.rows, action, job)),
  };
}

function wireControls(view, nodes, actions, reloadFromServer) {
  for (const button of document.querySelectorAll('.filters .filter')) {
    button.addEventListener('click', () => {
      view.filter = button.dataset.filter;
      for (const other of document.querySelectorAll('.filters .filter')) {
        other.setAttribute('aria-pressed', String(other === button));
      }
      clearAlert(nodes.alert);
      reloadFromServer();
    });
  }
  byId('include-completed').addEventListener('change', event => {
    view.includeCompleted = event.target.checked;
    clearAlert(nodes.alert);
    reloadFromServer();
  });
  byId('search').addEventListener('input', event => {
    view.search = event.target.value.trim().toLowerCase();
    render(view, nodes);
  });
  for (const header of nodes.table.querySelectorAll('th[data-sort]')) {
    header.querySelector('button').addEventListener('click', () => {
      sortBy(view, header.dataset.sort);
      render(view, nodes);
    });
  }
  byId('refresh-all').addEventListener('click', () => refreshAll(view, nodes));
  nodes.rows.addEventListener('click', event => {
    const button = event.target.closest('button[data-action]');
    const item = button && view.items.find(candidate => candidate.job === button.closest('tr').dataset.job);
    if (item) actions[button.dataset.action](item);
  });
}

function sortBy(view, key) {
  const sameKey = view.sort.key === key;
  view.sort = { key, direction: sameKey && view.sort.direction === 'ascending' ? 'descending' : 'ascending' };
}

async function load(view, nodes, { announce }) {
  clearTimeout(view.pollTimer);
  const sequence = ++view.loadSequence;
  nodes.table.setAttribute('aria-busy', 'true');
  if (announce) setText(nodes.status, 'Loading budgets…');
  try {
    const { items, preflight } = await fetchAllPages(view);
    // A newer load (another filter, or sign-out) has started meanwhile: its answer wins.
    if (sequence !== view.loadSequence) return;
    view.items = items;
    render(view, nodes);
    showPreflight(view, nodes, preflight);
  } catch (error) {
    if (sequence !== view.loadSequence) return;
    setText(nodes.status, 'The budgets could not be loaded.');
    showError(nodes.alert, error);
  } finally {
    if (sequence === view.loadSequence) nodes.table.removeAttribute('aria-busy');
  }
}

async function fetchAllPages(view) {
  const query = new URLSearchParams({ filter: view.filter, includeCompleted: String(view.includeCompleted), pageSize: '200' });
  const { items, last } = await getAllPages(`/api/budgets?${query}`, 'items');
  return { items, preflight: last.preflight };
}

async function refreshAll(view, nodes) {
  clearAlert(nodes.alert);
  try {
    const preflight = await postJson('/api/preflight');
    showPreflight(view, nodes, preflight);
  } catch (error) {
    showError(nodes.alert, error);
  }
}

function showPreflight(view, nodes, preflight) {
  const running = Boolean(preflight) && preflight.status !== 'Finished';
  setText(nodes.preflightText, preflightText(preflight));
  nodes.preflightProgress.hidden = !running;
  if (running) {
    nodes.preflightProgress.max = Math.max(preflight.total ?? 0, 1);
    nodes.preflightProgress.value = preflight.done ?? 0;
    clearTimeout(view.pollTimer);
    view.pollTimer = setTimeout(() => load(view, nodes, { announce: false }), pollDelay(preflight));
  }
}

function pollDelay(preflight) {
  if (preflight.status !== 'Waiting') return PREFLIGHT_POLL_MS;
  const untilResume = Date.parse(preflight.waitingUntil ?? '') - Date.now();
  return Number.isFinite(untilResume) ? Math.min(Math.max(untilResume, PREFLIGHT_POLL_MS), PREFLIGHT_WAITING_POLL_MS) : PREFLIGHT_WAITING_POLL_MS;
}

function preflightText(preflight) {
  if (!preflight) return '';
  if (preflight.status === 'Finished') {
    return `Totals computed: ${preflight.statusText}${preflight.finishedAt ? ` (${new Date(preflight.finishedAt).toLocaleString()})` : ''}.`;
  }
  const failed = preflight.failed > 0 ? `, ${preflight.failed} failed` : '';
  const waiting = preflight.status === 'Waiting' && preflight.statusText ? ` — ${preflight.statusText}` : '';
  return `Computing totals: ${preflight.done ?? 0} of ${preflight.total ?? 0} jobs${failed}${waiting}`;
}

function stop(view, nodes) {
  clearTimeout(view.pollTimer);
  view.loadSequence++;
  view.items = [];
  nodes.rows.replaceChildren();
  setText(nodes.status, '');
  setText(nodes.preflightText, '');
  nodes.preflightProgress.hidden = true;
  clearAlert(nodes.alert);
}

function render(view, nodes) {
  const visible = sortItems(view.items.filter(item => matchesSearch(item, view.search)), view.sort);
  const focused = focusedAction(nodes.rows);
  nodes.rows.replaceChildren(...(visible.length > 0
    ? visible.map(budgetRow)
    : [el('tr', {}, el('td', { class: 'empty', colspan: 8, text: 'No jobs match.' }))]));
  // Re-rendering while totals are polled must not take focus away from the button the operator is on.
  if (focused) focusButton(findActionButton(nodes.rows, focused.action, focused.job));
  showSortState(nodes.table, view.sort);
  setText(nodes.status, `Showing ${visible.length} of ${view.items.length} jobs.`);
}

function matchesSearch(item, search) {
  if (!search) return true;
  return [item.job, item.jobName, item.projectName].some(text => text?.toLowerCase().includes(search));
}

function sortItems(items, { key, direction }) {
  const valueOf = SORT_KEYS[key];
  const sign = direction === 'ascending' ? 1 : -1;
  return [...items].sort((a, b) => {
    const [x, y] = [valueOf(a), valueOf(b)];
    // Missing values go last in either direction.
    if (x === null || x === undefined) return y === null || y === undefined ? 0 : 1;
    if (y === null || y === undefined) return -1;
    return sign * (typeof x === 'number' ? x - y : collator.compare(String(x), String(y)));
  });
}

function showSortState(table, sort) {
  for (const header of table.querySelectorAll('th[data-sort]')) {
    if (header.dataset.sort === sort.key) header.setAttribute('aria-sort', sort.direction);
    else header.removeAttribute('aria-sort');
  }
}

function budgetRow(item, index) {
  return el('tr', { dataset: { job: item.job } },
    el('td', { class: 'job' },
      el('span', { class: 'job-number', text: item.job }),
      item.jobName ? el('span', { class: 'secondary job-name', text: item.jobName }) : null,
      item.jobStatus && item.jobStatus !== 'Active' ? el('span', { class: 'badge job-status', text: item.jobStatus }) : null),
    projectCell(item),
    el('td', { class: `state ${stateClass(item.state)}`, text: item.state ?? NONE }),
    el('td', { class: 'num total-spectrum', text: money(item.totals?.currentSpectrum) }),
    el('td', { class: 'num total-procore', text: money(item.totals?.currentProcore) }),
    newTotalCell(item.totals),
    lastRunCell(item.lastRun),
    actionsCell(item, `reason-${index}`));
}

function newTotalCell(totals) {
  const missing = leftOut(totals);
  return el('td', { class: 'num total-new' },
    el('span', { text: money(totals?.newProcoreOnReimport) }),
    missing ? el('span', { class: 'left-out', text: `${missing} left out` }) : null);
}

function projectCell(item) {
  if (!item.projectName) {
    return el('td', { class: 'project' },
      el('span', { class: 'not-linked', text: 'Not linked' }),
      item.notLinkedReason ? el('span', { class: 'secondary not-linked-reason', text: item.notLinkedReason }) : null);
  }
  const name = item.procoreBudgetUrl
    ? el('a', { href: item.procoreBudgetUrl, target: '_blank', rel: 'noopener', text: item.projectName })
    : item.projectName;
  return el('td', { class: 'project' }, name);
}

function stateClass(state) {
  return `state-${(state ?? 'unknown').toLowerCase().replace(/\s+/g, '-')}`;
}

function lastRunCell(lastRun) {
  if (!lastRun) return el('td', { class: 'last-run', text: NONE });
  return el('td', { class: `last-run run-${lastRun.status?.toLowerCase()}` },
    el('span', { class: 'last-run-text', text: lastRun.statusText }),
    el('span', { class: 'secondary' }, timeElement(lastRun.at)));
}

function actionsCell(item, reasonId) {
  const available = item.reimportAvailable === true;
  return el('td', { class: 'actions' },
    el('div', { class: 'action-buttons' },
      el('button', { type: 'button', class: 'button small', dataset: { action: 'preview' }, 'aria-label': `Preview ${item.job}` }, 'Preview'),
      el('button', { type: 'button', class: 'button small', dataset: { action: 'history' }, 'aria-label': `History ${item.job}` }, 'History'),
      el('button', {
        type: 'button',
        class: 'button small primary',
        dataset: { action: 'reimport' },
        'aria-label': `Re-import ${item.job}`,
        disabled: !available,
        'aria-describedby': available ? null : reasonId,
      }, 'Re-import')),
    available ? null : el('p', { class: 'reason', id: reasonId }, unavailableReason(item)));
}

function unavailableReason(item) {
  if (item.unavailable) {
    const fix = FIXES[item.unavailable.code];
    return [
      el('span', { class: 'reason-message', text: item.unavailable.message }),
      fix ? [' ', el('span', { class: 'reason-fix', text: fix })] : null,
    ];
  }
  if (item.reimportAvailable === null || item.reimportAvailable === undefined) {
    return 'Checking whether a re-import is possible…';
  }
  return 'Re-import is not available for this job.';
}

function focusedAction(rows) {
  const button = document.activeElement?.closest?.('button[data-action]');
  if (!button || !rows.contains(button)) return null;
  return { action: button.dataset.action, job: button.closest('tr').dataset.job };
}

function findActionButton(rows, action, job) {
  return [...rows.querySelectorAll(`button[data-action="${action}"]`)].find(button => button.closest('tr').dataset.job === job);
}

/** False when there is no such button or it is disabled (a disabled button cannot take focus). */
function focusButton(button) {
  button?.focus();
  return Boolean(button) && document.activeElement === button;
}
