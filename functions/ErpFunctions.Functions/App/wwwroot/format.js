const usd = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });

export const NONE = '—';

export function money(amount) {
  return typeof amount === 'number' ? usd.format(amount) : NONE;
}

/** "40 lines, $68,878.00": Spectrum money a re-import leaves out of Procore; null when there is none (or it is not known). */
export function leftOut(totals) {
  const lines = totals?.leftOut?.lines;
  if (!lines) return null;
  return `${lines} ${lines === 1 ? 'line' : 'lines'}, ${exactMoney(totals.leftOut.amount)}`;
}

/** The left-out money as a definition: none, the lines and amount, or not known (no plan was made). */
export function leftOutText(totals) {
  return leftOut(totals) ?? (totals?.leftOut ? 'None' : NONE);
}

/** An amount as money where it is whole cents; otherwise as it is, never rounded. */
function exactMoney(amount) {
  return Number.isInteger(Math.round(amount * 100 * 1e6) / 1e6) ? money(amount) : `$${amount}`;
}

export function when(isoDate) {
  if (!isoDate) return NONE;
  const date = new Date(isoDate);
  return Number.isNaN(date.getTime()) ? NONE : date.toLocaleString();
}

/** A <time> element showing the local date and time, with the machine-readable value kept. */
export function timeElement(isoDate) {
  const time = document.createElement('time');
  if (isoDate) time.dateTime = isoDate;
  time.textContent = when(isoDate);
  return time;
}

/** Spaces out PascalCase codes such as "NotVerified" → "Not verified". */
export function words(code) {
  if (!code) return '';
  const spaced = code.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  return spaced.charAt(0).toUpperCase() + spaced.slice(1);
}
