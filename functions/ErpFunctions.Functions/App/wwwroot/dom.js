// DOM building without innerHTML: every piece of data becomes a text node or an attribute value.

/**
 * el('td', { class: 'num', text: '1' }) — props: class, text, dataset, on<event>, anything else as an attribute
 * (true = boolean attribute, null/undefined/false = left out). Children may be nodes, strings or nested arrays.
 */
export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(props)) {
    if (value === null || value === undefined || value === false) continue;
    if (name === 'class') node.className = value;
    else if (name === 'text') node.textContent = value;
    else if (name === 'dataset') Object.assign(node.dataset, value);
    else if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? '' : String(value));
  }
  node.append(...children.flat(Infinity).filter(child => child !== null && child !== undefined && child !== false));
  return node;
}

export function byId(id) {
  return document.getElementById(id);
}

/** Sets text only when it changes, so live regions do not repeat themselves on every poll. */
export function setText(node, text) {
  if (node.textContent !== text) node.textContent = text;
}

/** A <dl> body from [term, description] pairs. */
export function definitions(pairs) {
  return pairs.map(([term, description]) => el('div', { class: 'definition' }, el('dt', { text: term }), el('dd', {}, description)));
}
