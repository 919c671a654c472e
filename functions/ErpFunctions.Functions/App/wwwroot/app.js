import { getJson, onSignedOut, postJson, SignedOutError } from './api.js';
import { clearAlert, showError } from './alerts.js';
import { createBudgetList } from './budgets.js';
import { createConfirmDialog } from './confirm.js';
import { byId } from './dom.js';
import { createHistoryDialog } from './history.js';
import { createPreviewDialog } from './preview.js';

// Entry point: who is signed in decides which view shows; a 401 from any call ends the session view.

const views = {
  signedOut: byId('signed-out'),
  budgets: byId('budgets'),
  session: byId('session'),
  userName: byId('user-name'),
  userAccess: byId('user-access'),
  pageAlert: byId('page-alert'),
  signIn: document.querySelector('#signed-out a'),
};

/** Closing a dialog returns focus to the row button that opened it; the row may have been re-rendered meanwhile. */
function returnFocusTo(action) {
  return item => list.focusAction(action, item.job) || list.focusAction('preview', item.job);
}

const confirmDialog = createConfirmDialog({ onRunChanged: () => list.reload(), onClosed: returnFocusTo('reimport') });
const previewDialog = createPreviewDialog({ onClosed: returnFocusTo('preview') });
const historyDialog = createHistoryDialog({ onClosed: returnFocusTo('history') });
const dialogs = [confirmDialog, previewDialog, historyDialog];

const list = createBudgetList({
  preview: item => previewDialog.open(item),
  history: item => historyDialog.open(item),
  reimport: item => confirmDialog.open(item),
});

function showSignedIn(me) {
  views.userName.textContent = me.name || me.login;
  views.userAccess.textContent = `Access: ${me.access}`;
  views.signedOut.hidden = true;
  views.session.hidden = false;
  views.budgets.hidden = false;
  list.start();
}

function showSignedOut({ moveFocus }) {
  for (const dialog of dialogs) dialog.close();
  list.stop();
  views.budgets.hidden = true;
  views.session.hidden = true;
  views.signedOut.hidden = false;
  if (moveFocus) views.signIn.focus();
}

async function signOut() {
  clearAlert(views.pageAlert);
  try {
    await postJson('/auth/signout');
  } catch (error) {
    showError(views.pageAlert, error);
    return;
  }
  showSignedOut({ moveFocus: true });
}

/** Why a sign-in made no session, as the callback names it (?signIn=<why>): the page's own words, never the address's. */
const SIGN_IN_REFUSALS = {
  expired: 'The sign-in took too long or was started in another browser. Sign in again.',
  denied: 'Procore did not sign you in. Sign in again to use the page.',
  mismatch: 'The answer from Procore does not belong to the sign-in this browser started. Sign in again.',
  coderefused: 'Procore did not accept the sign-in code (it may have expired). Sign in again.',
  unreachable: 'Procore could not be reached to finish the sign-in. Try again in a moment.',
};

/** Said once, then taken off the address. */
function reportRefusedSignIn() {
  const url = new URL(window.location.href);
  const why = url.searchParams.get('signIn');
  if (!why) return;
  url.searchParams.delete('signIn');
  window.history.replaceState(null, '', url);
  showError(views.pageAlert, new Error(`Sign-in failed: ${SIGN_IN_REFUSALS[why] ?? SIGN_IN_REFUSALS.denied}`));
}

async function start() {
  reportRefusedSignIn();
  try {
    showSignedIn(await getJson('/api/me'));
  } catch (error) {
    if (error instanceof SignedOutError) return;
    showSignedOut({ moveFocus: false });
    showError(views.pageAlert, error);
  }
}

onSignedOut(() => showSignedOut({ moveFocus: true }));
byId('sign-out').addEventListener('click', signOut);
start();
