import { getJson } from './api.js';
import { clearAlert, showError } from './alerts.js';
import { byId, setText } from './dom.js';

// A dialog about one row's job: opened for an item, it loads what it shows; closed (its button, Esc), it hands the
// item back so that focus can return to that row.

/**
 * @param {object} options
 * @param {string} options.prefix ids of the dialog's parts: `${prefix}-dialog`, -title, -status, -alert, -close
 * @param {(item) => string} options.title
 * @param {(item) => string} options.url what to load for the item
 * @param {string} options.loading, options.failed the status while loading, and when loading failed
 * @param {(data, item) => void} options.show fills the dialog with what was loaded
 * @param {(item) => void} options.reset empties it before loading
 * @param {(item) => void} options.onClosed
 */
export function createLoadingDialog({ prefix, title, url, loading, failed, show, reset, onClosed }) {
  const nodes = {
    dialog: byId(`${prefix}-dialog`),
    title: byId(`${prefix}-title`),
    status: byId(`${prefix}-status`),
    alert: byId(`${prefix}-alert`),
  };
  let current = null;

  byId(`${prefix}-close`).addEventListener('click', () => nodes.dialog.close());
  nodes.dialog.addEventListener('close', () => {
    const item = current;
    current = null;
    if (item) onClosed(item);
  });

  async function open(item) {
    current = item;
    nodes.title.textContent = title(item);
    reset(item);
    clearAlert(nodes.alert);
    setText(nodes.status, loading);
    nodes.dialog.showModal();
    try {
      const data = await getJson(url(item));
      if (current !== item) return;
      show(data, item);
    } catch (error) {
      if (current !== item) return;
      setText(nodes.status, failed);
      showError(nodes.alert, error);
    }
  }

  return {
    nodes,
    open,
    close() {
      if (nodes.dialog.open) nodes.dialog.close();
    },
  };
}
