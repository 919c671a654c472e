// Same-origin JSON calls to the Function App; errors arrive as RFC 9457 problem details.

const CSRF_HEADER = { 'X-Requested-With': 'ErpFunctions' };

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
  }

  get isNetworkFailure() {
    return this.status === 0;
  }
}

/** The session is gone (HTTP 401); the page has already switched to the signed-out view. */
export class SignedOutError extends ApiError {
  constructor(message) {
    super(401, message);
    this.name = 'SignedOutError';
  }
}

let signedOutHandler = () => {};

export function onSignedOut(handler) {
  signedOutHandler = handler;
}

export function getJson(url) {
  return request(url, { method: 'GET', headers: { Accept: 'application/json' } });
}

/**
 * GETs `url` and every page after it (following `nextPageToken`); answers the `field` items of all pages together,
 * and the last page for what it says besides.
 */
export async function getAllPages(url, field) {
  const items = [];
  let pageToken = null;
  let page;
  do {
    const next = new URL(url, location.href);
    if (pageToken) next.searchParams.set('pageToken', pageToken);
    page = await getJson(next.pathname + next.search);
    items.push(...(page[field] ?? []));
    pageToken = page.nextPageToken;
  } while (pageToken);
  return { items, last: page };
}

/** POSTs always carry the CSRF header: without it the server answers 403. */
export function postJson(url, body, headers = {}) {
  const init = { method: 'POST', headers: { Accept: 'application/json', ...CSRF_HEADER, ...headers } };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  return request(url, init);
}

async function request(url, init) {
  let response;
  try {
    response = await fetch(url, { credentials: 'same-origin', ...init });
  } catch {
    throw new ApiError(0, 'The server could not be reached. Check your connection and try again.');
  }
  if (response.status === 401) {
    const error = new SignedOutError(await problemDetail(response));
    signedOutHandler();
    throw error;
  }
  if (!response.ok) {
    throw new ApiError(response.status, await problemDetail(response));
  }
  return hasBody(response) ? response.json() : null;
}

function hasBody(response) {
  return response.status !== 204 && /json/i.test(response.headers.get('Content-Type') ?? '');
}

async function problemDetail(response) {
  const fallback = `The request failed (HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}).`;
  try {
    const problem = await response.json();
    return problem?.detail || problem?.title || fallback;
  } catch {
    return fallback;
  }
}
