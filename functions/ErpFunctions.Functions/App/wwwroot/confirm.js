import { ApiError, getJson, postJson } from './api.js';
import { clearAlert, showError } from './alerts.js';
import { byId, definitions, el } from './dom.js';
import { leftOut, money } from './format.js';

// "Please Confirm": start a re-import, then follow the run until it finishes.

const RUN_POLL_MS = 1000;
const IN_PROGRESS = new Set(['Queued', 'Running']);
const IN_PROGRESS_TEXT = 'The import is in progress and may take a few minutes.';
const MESSAGES_SHOWN = 5;

/** onRunChanged(): a run started or finished changes the job's last run, so the list reloads. onClosed(item): the dialog closed. */
export function createConfirmDialog({ onRunChanged, onClosed }) {
  const nodes = {
    dialog: byId('confirm-dialog'),
    question: byId('confirm-question'),
    totals: byId('confirm-totals'),
    alert: byId('confirm-alert'),
    status: byId('confirm-status'),
    cancel: byId('confirm-cancel'),
    submit: byId('confirm-submit'),
    close: byId('confirm-close'),
  };
  // openId tells answers meant for an earlier opening of the dialog from those for the current one.
  const session = { openId: 0, item: null, idempotencyKey: null, pollTimer: null, submitting: false, runInProgress: false };

  nodes.cancel.addEventListener('click', () => nodes.dialog.close());
  nodes.close.addEventListener('click', () => nodes.dialog.close());
  nodes.submit.addEventListener('click', () => submit(session, nodes, onRunChanged));
  nodes.dialog.addEventListener('close', () => {
    clearTimeout(session.pollTimer);
    const { item, runInProgress } = session;
    Object.assign(session, { openId: session.openId + 1, item: null, pollTimer: null, runInProgress: false });
    if (runInProgress) onRunChanged();
    if (item) onClosed(item);
  });

  return {
    open(item) {
      // One key per confirmation: retrying after a lost answer replays the same request instead of starting a second run.
      Object.assign(session, { openId: session.openId + 1, item, idempotencyKey: crypto.randomUUID(), submitting: false });
      fill(nodes, item);
      nodes.dialog.showModal();
    },
    close() {
      if (nodes.dialog.open) nodes.dialog.close();
    },
  };
}

function fill(nodes, item) {
  nodes.question.textContent =
    `Re-import the budget of job ${item.job} into Procore project ${item.projectName ?? item.job}?`;
  nodes.totals.replaceChildren(...definitions([
    ['Current Spectrum total', money(item.totals?.currentSpectrum)],
    ['Current Procore total', money(item.totals?.currentProcore)],
    ['New Procore total on re-import', money(item.totals?.newProcoreOnReimport)],
  ]));
  clearAlert(nodes.alert);
  const missing = leftOut(item.totals);
  nodes.status.replaceChildren(...(missing
    ? [statusLine(`${missing} of Spectrum estimates will be left out of Procore: the preview says why.`, 'left-out')]
    : []));
  showButtons(nodes, { confirming: true });
}

function showButtons(nodes, { confirming }) {
  nodes.cancel.hidden = !confirming;
  nodes.submit.hidden = !confirming;
  nodes.close.hidden = confirming;
}

async function submit(session, nodes, onRunChanged) {
  if (session.submitting) return;
  session.submitting = true;
  const { item, openId } = session;
  clearAlert(nodes.alert);
  showStatus(nodes, [statusLine('Starting the re-import…')]);
  try {
    const accepted = await postJson(item.reimportUrl, { confirm: true }, { 'Idempotency-Key': session.idempotencyKey });
    if (session.openId !== openId) return;
    session.runInProgress = true;
    showButtons(nodes, { confirming: false });
    nodes.close.focus();
    showStatus(nodes, [
      statusLine(IN_PROGRESS_TEXT),
      accepted.joined ? statusLine('A re-import of this job was already running; following that one.', 'secondary') : null,
    ]);
    scheduleRunPoll(session, nodes, accepted.statusUrl, onRunChanged);
  } catch (error) {
    if (session.openId !== openId) return;
    nodes.status.replaceChildren();
    showError(nodes.alert, error);
  } finally {
    if (session.openId === openId) session.submitting = false;
  }
}

function scheduleRunPoll(session, nodes, statusUrl, onRunChanged) {
  const { openId } = session;
  session.pollTimer = setTimeout(async () => {
    try {
      const run = await getJson(statusUrl);
      if (session.openId !== openId) return;
      clearAlert(nodes.alert);
      showRun(nodes, run);
      if (IN_PROGRESS.has(run.status)) {
        scheduleRunPoll(session, nodes, statusUrl, onRunChanged);
      } else {
        session.runInProgress = false;
        onRunChanged();
      }
    } catch (error) {
      if (session.openId !== openId) return;
      showError(nodes.alert, error);
      // A dropped connection is worth another try; an answer from the server (404, 500…) will not change.
      if (error instanceof ApiError && error.isNetworkFailure) scheduleRunPoll(session, nodes, statusUrl, onRunChanged);
    }
  }, RUN_POLL_MS);
}

function showRun(nodes, run) {
  if (IN_PROGRESS.has(run.status)) {
    const waiting = run.statusText?.startsWith('Waiting') ? statusLine(run.statusText, 'secondary') : null;
    showStatus(nodes, [statusLine(IN_PROGRESS_TEXT), waiting]);
    return;
  }
  const succeeded = run.status === 'Succeeded';
  const missing = leftOut(run.totals);
  showStatus(nodes, [
    statusLine(run.statusText || (succeeded ? 'Successfully re-imported to Procore' : run.status), succeeded ? 'success' : 'failure'),
    missing ? statusLine(`${missing} of Spectrum estimates are not in Procore.`, 'left-out') : null,
    succeeded ? null : failureDetails(run),
    el('dl', { class: 'totals run-totals' }, definitions([
      ['Procore total before', money(run.totals?.procoreBefore)],
      ['Procore total after', money(run.totals?.procoreAfter)],
    ])),
  ]);
}

/** The failure's own words: the run's error and its first messages. */
function failureDetails(run) {
  const messages = (run.messages ?? []).slice(0, MESSAGES_SHOWN);
  return [
    run.error ? statusLine(run.error, 'run-error') : null,
    messages.length > 0 ? el('ul', { class: 'run-messages' }, messages.map(message => el('li', { text: message }))) : null,
  ];
}

function showStatus(nodes, children) {
  nodes.status.replaceChildren(...children.flat().filter(Boolean));
}

function statusLine(text, kind) {
  return el('p', { class: `run-status-line${kind ? ` ${kind}` : ''}`, text });
}
