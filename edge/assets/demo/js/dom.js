// A tiny element builder. Product data only ever reaches the page as text nodes and attribute
// values, never as HTML, so a product name cannot inject markup.

/**
 * el('a', { class: 'card', href: url, onclick: fn }, 'text', childNode, [more, children])
 * Props: `class`, `text`, `on<event>` handlers, `dataset` (object); `true` sets an empty
 * attribute, `false`/null/undefined leave it out; anything else is set with setAttribute.
 * @param {string} tag
 * @param {Record<string, any>} [props]
 * @param {...any} children strings, numbers, nodes, arrays of them; null/false are skipped
 */
export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === 'class') node.className = value;
    else if (key === 'text') node.textContent = String(value);
    else if (key === 'dataset') Object.assign(node.dataset, value);
    else if (key.startsWith('on') && typeof value === 'function') node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  append(node, children);
  return node;
}

/** @param {Node} parent @param {any[]} children */
function append(parent, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(parent, child);
    else parent.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replaces everything inside `parent`. */
export function replaceChildren(parent, ...children) {
  parent.textContent = '';
  append(parent, children);
}

/** @param {string} selector @returns {HTMLElement} */
export function $(selector) {
  const found = document.querySelector(selector);
  if (!(found instanceof HTMLElement)) throw new Error(`missing ${selector}`);
  return found;
}
