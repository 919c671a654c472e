import { SignedOutError } from './api.js';
import { el } from './dom.js';

// Each view has its own role="alert" region: a modal dialog makes the page's region inert.

export function showError(region, error) {
  if (error instanceof SignedOutError) return;
  showAlert(region, error?.message || String(error));
}

function showAlert(region, message) {
  region.replaceChildren(
    el('div', { class: 'alert' },
      el('p', { class: 'alert-text', text: message }),
      el('button', { type: 'button', class: 'button small', onclick: () => clearAlert(region) }, 'Dismiss')));
}

export function clearAlert(region) {
  region.replaceChildren();
}
