// The few line icons of the header, drawn as SVG elements (24×24, stroke = currentColor).
const NS = 'http://www.w3.org/2000/svg';

/** @param {string[]} paths */
function icon(paths) {
  const svg = document.createElementNS(NS, 'svg');
  for (const [k, v] of Object.entries({ viewBox: '0 0 24 24', width: '24', height: '24', fill: 'none', stroke: 'currentColor', 'stroke-width': '1.8', 'stroke-linecap': 'round', 'stroke-linejoin': 'round', 'aria-hidden': 'true', focusable: 'false' })) svg.setAttribute(k, v);
  for (const d of paths) {
    const path = document.createElementNS(NS, 'path');
    path.setAttribute('d', d);
    svg.appendChild(path);
  }
  return svg;
}

export const searchIcon = () => icon(['M10.5 18a7.5 7.5 0 1 1 0-15 7.5 7.5 0 0 1 0 15z', 'M16 16l5 5']);
export const cartIcon = () => icon(['M5 7h14l-1.2 12.1a2 2 0 0 1-2 1.9H8.2a2 2 0 0 1-2-1.9z', 'M9 10V6a3 3 0 0 1 6 0v4']);
export const userIcon = () => icon(['M12 12a4 4 0 1 0 0-8 4 4 0 0 0 0 8z', 'M4 21c1.2-4 4.2-6 8-6s6.8 2 8 6']);
