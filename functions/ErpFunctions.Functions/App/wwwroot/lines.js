import { el } from './dom.js';
import { money, NONE, words } from './format.js';

// The table of budget lines shared by the preview (planned lines) and the history (written lines).

const PLAN_COLUMNS = ['Kind', 'Phase', 'Cost type', 'Cost code', 'From', 'To', 'Rule / reason'];
const RUN_COLUMNS = ['Kind', 'Phase', 'Cost type', 'Cost code', 'From', 'To', 'Outcome', "Procore's message"];

/** withOutcome: the lines of a finished run (outcome and Procore's message) instead of a plan's rule and reason. */
export function linesTable({ label, lines, withOutcome = false }) {
  const columns = withOutcome ? RUN_COLUMNS : PLAN_COLUMNS;
  const rows = lines.length > 0
    ? lines.map(line => lineRow(line, withOutcome))
    : [el('tr', {}, el('td', { class: 'empty', colspan: columns.length, text: 'No lines to show.' }))];
  return el('table', { class: 'lines-table', 'aria-label': label },
    el('caption', { text: label }),
    el('thead', {}, el('tr', {}, columns.map(column =>
      el('th', { scope: 'col', class: column === 'From' || column === 'To' ? 'num' : null, text: column })))),
    el('tbody', {}, rows));
}

function lineRow(line, withOutcome) {
  const cells = [
    el('td', { class: `kind kind-${line.kind?.toLowerCase()}`, text: line.kind ?? NONE }),
    el('td', { class: 'phase' }, line.phase ?? NONE, secondary(line.description)),
    el('td', { class: 'cost-type' }, line.costType ?? NONE, secondary(line.procoreCostType && `Procore: ${line.procoreCostType}`)),
    el('td', { class: 'cost-code', text: line.costCode ?? NONE }),
    el('td', { class: 'num from', text: fromText(line) }),
    el('td', { class: `num to${hasChange(line) ? ' changed' : ''}`, text: money(line.to) }),
  ];
  if (withOutcome) {
    cells.push(
      el('td', { class: `outcome outcome-${line.outcome?.toLowerCase()}`, text: line.outcome ? words(line.outcome) : NONE }),
      el('td', { class: 'procore-message', text: line.procoreMessage || NONE }));
  } else {
    cells.push(el('td', { class: 'reason-cell' },
      line.rule ? el('code', { class: 'rule', text: line.rule }) : null,
      line.reason ? el('span', { class: 'line-reason', text: line.reason }) : null,
      line.warning ? el('span', { class: 'warning', text: `Warning: ${line.warning}` }) : null,
      !line.rule && !line.reason && !line.warning ? NONE : null));
  }
  return el('tr', { class: 'line', dataset: { kind: line.kind ?? '', index: line.index ?? '' } }, cells);
}

/** A created line has no Procore amount yet: it reads "new → to". */
function fromText(line) {
  return line.kind === 'Create' ? 'new' : money(line.from);
}

function hasChange(line) {
  return line.kind === 'Create' || line.kind === 'Update';
}

function secondary(text) {
  return text ? el('span', { class: 'secondary', text }) : null;
}
