import { createLoadingDialog } from './dialogs.js';
import { byId, definitions, el, setText } from './dom.js';
import { leftOutText, money, timeElement, words } from './format.js';
import { linesTable } from './lines.js';

// "Preview of job …": what a re-import would change, before anything is written.

const LINE_FILTERS = {
  all: () => true,
  changes: line => line.kind === 'Create' || line.kind === 'Update',
  skipped: line => line.kind === 'Skipped',
  problems: line => line.kind === 'Unmapped' || Boolean(line.warning),
};

const COUNT_KINDS = ['Create', 'Update', 'Unchanged', 'Skipped', 'Unmapped'];

export function createPreviewDialog({ onClosed }) {
  const nodes = {
    status: byId('preview-status'),
    body: byId('preview-body'),
    prerequisites: byId('preview-prerequisites'),
    totals: byId('preview-totals'),
    counts: byId('preview-counts'),
    notes: byId('preview-notes'),
    show: byId('preview-show'),
    lineCount: byId('preview-line-count'),
    lines: byId('preview-lines'),
  };
  let preview = null;
  nodes.show.addEventListener('change', () => showLines(nodes, preview));

  return createLoadingDialog({
    prefix: 'preview',
    title: item => `Preview of job ${item.job}`,
    url: item => item.previewUrl,
    loading: 'Loading preview…',
    failed: 'The preview could not be loaded.',
    reset() {
      preview = null;
      nodes.body.hidden = true;
      nodes.show.value = 'all';
    },
    show(loaded) {
      preview = loaded;
      fill(nodes, loaded);
      setText(nodes.status, '');
      nodes.body.hidden = false;
    },
    onClosed,
  });
}

function fill(nodes, preview) {
  nodes.prerequisites.replaceChildren(...(preview.prerequisites ?? []).map(prerequisiteItem));
  nodes.totals.replaceChildren(...definitions([
    ['Project', projectName(preview)],
    ['Current Spectrum total', money(preview.totals?.currentSpectrum)],
    ['Current Procore total', money(preview.totals?.currentProcore)],
    ['New Procore total on re-import', money(preview.totals?.newProcoreOnReimport)],
    ['Left out of Procore', leftOutText(preview.totals)],
    ['Totals as of', timeElement(preview.totals?.asOf)],
    ['Re-import available', preview.reimportAvailable ? 'Yes' : 'No'],
  ]));
  nodes.counts.replaceChildren(...definitions([
    ...COUNT_KINDS.map(kind => [`${kind} lines`, String(countOf(preview.counts, kind))]),
    ['New cost codes', newCostCodes(preview.newCostCodes)],
    ['New budget codes', String(preview.newBudgetCodes ?? 0)],
  ]));
  nodes.notes.replaceChildren(...(preview.notes ?? []).map(note => el('li', { text: note })));
  nodes.notes.hidden = (preview.notes ?? []).length === 0;
  showLines(nodes, preview);
}

/** The contract shows "Create" keys, the API's camelCase dictionary keys give "create": accept either. */
function countOf(counts, kind) {
  return counts?.[kind] ?? counts?.[kind.charAt(0).toLowerCase() + kind.slice(1)] ?? 0;
}

function prerequisiteItem(prerequisite) {
  return el('li', { class: `prerequisite prerequisite-${prerequisite.state?.toLowerCase()}` },
    el('span', { class: 'badge', text: words(prerequisite.state) }),
    el('span', { text: prerequisite.message }));
}

function projectName(preview) {
  if (!preview.projectName) return 'Not linked';
  return preview.procoreBudgetUrl
    ? el('a', { href: preview.procoreBudgetUrl, target: '_blank', rel: 'noopener', text: preview.projectName })
    : preview.projectName;
}

function newCostCodes(codes) {
  return codes?.length ? `${codes.length}: ${codes.join(', ')}` : '0';
}

function showLines(nodes, preview) {
  if (!preview) return;
  const all = preview.lines ?? [];
  const shown = all.filter(LINE_FILTERS[nodes.show.value]);
  nodes.lines.replaceChildren(linesTable({ label: 'Planned lines', lines: shown }));
  setText(nodes.lineCount, `${shown.length} of ${all.length} lines`);
}
