// Product images of the demo shop, drawn at build time from its catalogue: one small SVG per
// product (a coloured backdrop, a flat drawing of the product's kind, its initial on the label).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PRODUCTS } from '../../edge/assets/demo/js/catalog.js';

/** Writes <outDir>/<product id>.svg for every product of the demo catalogue. */
export function buildDemoImages(outDir) {
  mkdirSync(outDir, { recursive: true });
  for (const product of PRODUCTS) writeFileSync(join(outDir, `${product.id}.svg`), productSvg(product));
}

const escapeXml = (text) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Mixes a #rrggbb colour towards black (amount < 0) or white (amount > 0). */
function shade(hex, amount) {
  const n = parseInt(hex.slice(1), 16);
  const mix = (c) => Math.round(amount < 0 ? c * (1 + amount) : c + (255 - c) * amount);
  const [r, g, b] = [(n >> 16) & 255, (n >> 8) & 255, n & 255].map(mix);
  return `#${((1 << 24) | (r << 16) | (g << 8) | b).toString(16).slice(1)}`;
}

const letter = (x, y, size, fill, initial) =>
  `<text x="${x}" y="${y}" font-family="Helvetica, Arial, sans-serif" font-weight="700" font-size="${size}" fill="${fill}" text-anchor="middle" dominant-baseline="central">${initial}</text>`;

/** One drawing per kind of product, on a 400x400 canvas, standing on y≈320. */
const SHAPES = {
  mug: ({ main, accent }, i) => `
    <path d="M262 180h16a38 38 0 0 1 0 76h-16" fill="none" stroke="${shade(main, -0.12)}" stroke-width="18"/>
    <rect x="132" y="150" width="136" height="170" rx="20" fill="${main}"/>
    <ellipse cx="200" cy="152" rx="68" ry="12" fill="${shade(main, -0.25)}"/>
    <circle cx="200" cy="238" r="32" fill="${accent}" opacity=".9"/>${letter(200, 240, 34, main, i)}`,
  tumbler: ({ main, accent }, i) => `
    <path d="M158 118h84l-8 202h-68z" fill="${main}"/>
    <rect x="150" y="86" width="100" height="38" rx="10" fill="${shade(main, -0.3)}"/>
    <rect x="162" y="168" width="76" height="78" rx="6" fill="${accent}"/>${letter(200, 208, 36, main, i)}`,
  plate: ({ main, accent }) => `
    <circle cx="240" cy="180" r="105" fill="${shade(main, -0.06)}" stroke="${accent}" stroke-width="8"/>
    <circle cx="180" cy="230" r="112" fill="${main}"/>
    <circle cx="180" cy="230" r="100" fill="none" stroke="${accent}" stroke-width="10"/>
    <circle cx="180" cy="230" r="62" fill="${shade(main, -0.04)}"/>`,
  board: ({ main, accent }) => `
    <rect x="176" y="64" width="48" height="70" rx="24" fill="${main}"/>
    <circle cx="200" cy="92" r="11" fill="${accent}"/>
    <rect x="112" y="118" width="176" height="202" rx="34" fill="${main}"/>
    <path d="M140 160c40 10 80-10 120 0M140 210c40 12 80-12 120 0M140 262c40 10 80-10 120 0" fill="none" stroke="${accent}" stroke-width="5" stroke-linecap="round"/>`,
  kettle: ({ main, accent }) => `
    <path d="M156 286L84 146" stroke="${main}" stroke-width="14" stroke-linecap="round"/>
    <path d="M252 170c52 0 52 120 0 120" fill="none" stroke="${shade(main, -0.2)}" stroke-width="14"/>
    <path d="M130 320c0-90 20-150 70-150s70 60 70 150z" fill="${main}"/>
    <rect x="168" y="150" width="64" height="24" rx="10" fill="${shade(main, -0.25)}"/>
    <circle cx="200" cy="140" r="12" fill="${accent}"/>
    <rect x="130" y="270" width="140" height="12" fill="${accent}" opacity=".7"/>`,
  cutlery: ({ main, accent }) => `
    <g transform="rotate(-12 200 200)"><ellipse cx="160" cy="118" rx="34" ry="48" fill="${main}"/><rect x="152" y="150" width="16" height="180" rx="8" fill="${main}"/><ellipse cx="160" cy="112" rx="20" ry="30" fill="${shade(main, 0.25)}"/></g>
    <g transform="rotate(8 200 200)"><rect x="222" y="70" width="12" height="260" rx="6" fill="${accent}"/><rect x="250" y="70" width="12" height="260" rx="6" fill="${shade(accent, 0.15)}"/></g>`,
  tube: ({ main, accent }, i) => `
    <rect x="136" y="84" width="128" height="20" rx="4" fill="${shade(main, -0.2)}"/>
    <path d="M138 102h124l-32 188h-60z" fill="${main}"/>
    <rect x="172" y="286" width="56" height="34" rx="6" fill="${shade(main, -0.35)}"/>
    <circle cx="200" cy="176" r="34" fill="${accent}"/>${letter(200, 178, 36, main, i)}`,
  pump: ({ main, accent }, i) => `
    <rect x="168" y="92" width="60" height="18" rx="6" fill="${shade(main, -0.35)}"/>
    <rect x="226" y="96" width="40" height="10" rx="5" fill="${shade(main, -0.35)}"/>
    <rect x="190" y="108" width="20" height="34" fill="${shade(main, -0.35)}"/>
    <rect x="178" y="138" width="44" height="26" rx="6" fill="${shade(main, -0.2)}"/>
    <rect x="146" y="160" width="108" height="160" rx="22" fill="${main}"/>
    <rect x="162" y="200" width="76" height="86" rx="8" fill="${accent}"/>${letter(200, 243, 40, main, i)}`,
  pouch: ({ main, accent }, i) => `
    <path d="M128 104l12-12 12 12 12-12 12 12 12-12 12 12 12-12 12 12 12-12 12 12 12-12 12 12v216h-144z" fill="${main}"/>
    <ellipse cx="200" cy="214" rx="46" ry="56" fill="${accent}" opacity=".95"/>
    <circle cx="184" cy="204" r="6" fill="${main}"/><circle cx="216" cy="204" r="6" fill="${main}"/>
    <path d="M186 236q14 10 28 0" fill="none" stroke="${main}" stroke-width="5" stroke-linecap="round"/>
    ${letter(200, 144, 28, accent, i)}`,
  lipstick: ({ main, accent }) => `
    <path d="M178 196v-70l44-26v96z" fill="${main}"/>
    <rect x="172" y="192" width="56" height="36" rx="4" fill="#C9B79C"/>
    <rect x="162" y="224" width="76" height="96" rx="8" fill="${accent}"/>
    <rect x="250" y="210" width="40" height="110" rx="8" fill="${shade(accent, 0.2)}" transform="rotate(10 270 265)"/>`,
  bottle: ({ main, accent }, i) => `
    <rect x="172" y="84" width="56" height="52" rx="8" fill="${shade(main, -0.3)}"/>
    <path d="M160 136h80l14 26v158h-108v-158z" fill="${main}"/>
    <rect x="160" y="196" width="80" height="84" rx="6" fill="${accent}"/>${letter(200, 238, 38, main, i)}`,
  shirt: ({ main, accent }) => `
    <path d="M156 96l-40 14-44 52 38 30 22-24v152h136v-152l22 24 38-30-44-52-40-14q-44 34-88 0z" fill="${main}" stroke="${accent}" stroke-width="5" stroke-linejoin="round"/>
    <path d="M156 96q44 34 88 0" fill="none" stroke="${accent}" stroke-width="5"/>
    <rect x="214" y="150" width="26" height="30" rx="3" fill="none" stroke="${accent}" stroke-width="4"/>`,
  hoodie: ({ main, accent }) => `
    <path d="M156 100q44-70 88 0" fill="${shade(main, -0.2)}"/>
    <path d="M156 100l-44 20-32 180h36l20-120v140h128v-140l20 120h36l-32-180-44-20q-44 40-88 0z" fill="${main}"/>
    <path d="M188 130v50M212 130v50" stroke="${accent}" stroke-width="5" stroke-linecap="round"/>
    <rect x="160" y="236" width="80" height="44" rx="10" fill="${shade(main, -0.15)}"/>`,
  sock: ({ main, accent }) => `
    <path d="M176 86h68v150q0 26-22 42l-64 40q-38 18-54-14-12-28 18-46l54-32z" fill="${main}"/>
    <rect x="176" y="86" width="68" height="14" fill="${accent}"/><rect x="176" y="110" width="68" height="14" fill="${accent}"/>
    <path d="M106 300q-12-28 18-46l20-12 26 42-22 14q-30 14-42 2z" fill="${accent}"/>
    <path d="M222 278q22-16 22-42v-20h-40z" fill="${accent}" opacity=".9"/>`,
  cap: ({ main, accent }) => `
    <path d="M112 252q0-124 88-124t88 124z" fill="${main}"/>
    <path d="M200 128v124M156 138q-14 50-6 114M244 138q14 50 6 114" fill="none" stroke="${shade(main, -0.2)}" stroke-width="4"/>
    <path d="M100 248q110-26 226 14 10 24-20 28-100-22-206-20z" fill="${shade(main, -0.25)}"/>
    <circle cx="200" cy="126" r="9" fill="${accent}"/>
    <rect x="168" y="196" width="64" height="30" rx="6" fill="${accent}"/>`,
  bag: ({ main, accent }, i) => `
    <path d="M158 170v-46a22 22 0 0 1 44 0v46M198 170v-46a22 22 0 0 1 44 0v46" fill="none" stroke="${accent}" stroke-width="10"/>
    <path d="M116 164h168l-10 156h-148z" fill="${main}"/>
    <circle cx="200" cy="244" r="40" fill="none" stroke="${accent}" stroke-width="6"/>${letter(200, 246, 40, accent, i)}`,
  scarf: ({ main, accent }) => `
    <path d="M130 90h140v70q-70 40-140 0z" fill="${shade(main, -0.15)}"/>
    <rect x="150" y="140" width="56" height="170" rx="10" fill="${main}"/>
    <rect x="198" y="150" width="56" height="140" rx="10" fill="${shade(main, 0.12)}" transform="rotate(8 226 220)"/>
    <path d="M150 190h56M150 214h56M150 238h56" stroke="${accent}" stroke-width="6"/>
    <path d="M156 310v18M168 310v18M180 310v18M192 310v18" stroke="${main}" stroke-width="4" stroke-linecap="round"/>`,
  notebook: ({ main, accent }, i) => `
    <rect x="126" y="86" width="156" height="234" rx="10" fill="${main}"/>
    <rect x="126" y="86" width="22" height="234" rx="8" fill="${shade(main, -0.25)}"/>
    <rect x="254" y="86" width="10" height="234" fill="${shade(main, -0.4)}"/>
    <rect x="166" y="136" width="72" height="54" rx="4" fill="${accent}"/>${letter(202, 164, 30, main, i)}`,
  pen: ({ main, accent }) => [main, accent, '#E63946']
    .map((color, n) => `<g transform="rotate(${-28 + n * 14} 200 210)"><rect x="${178 + n * 22}" y="90" width="18" height="190" rx="6" fill="${color}"/><path d="M${178 + n * 22} 280h18l-9 28z" fill="#C9B79C"/><rect x="${192 + n * 22}" y="98" width="4" height="60" fill="${shade(color, 0.4)}"/></g>`)
    .join(''),
  planner: ({ main, accent }) => `
    <rect x="118" y="104" width="172" height="216" rx="10" fill="${main}"/>
    ${[0, 1, 2, 3, 4, 5, 6].map((n) => `<rect x="${138 + n * 21}" y="90" width="8" height="30" rx="4" fill="#6B705C"/>`).join('')}
    <text x="204" y="160" font-family="Helvetica, Arial, sans-serif" font-weight="700" font-size="30" fill="${accent}" text-anchor="middle">2027</text>
    ${Array.from({ length: 20 }, (_, n) => `<rect x="${146 + (n % 5) * 24}" y="${190 + Math.floor(n / 5) * 26}" width="16" height="16" rx="3" fill="${accent}" opacity="${n === 7 ? 1 : 0.55}"/>`).join('')}`,
  stickers: ({ main, accent }) => `
    <rect x="112" y="92" width="176" height="228" rx="12" fill="#FFFFFF" transform="rotate(-5 200 206)"/>
    <path d="M160 118l12 26 28 3-21 19 6 28-25-14-25 14 6-28-21-19 28-3z" fill="${main}"/>
    <circle cx="246" cy="152" r="26" fill="${accent}"/>
    <path d="M170 270c-30-20-30-50-8-52 10 0 8 8 8 8s-2-8 8-8c22 2 22 32-8 52z" fill="#E76F51"/>
    <circle cx="240" cy="246" r="12" fill="${main}"/><circle cx="258" cy="232" r="12" fill="${main}"/><circle cx="258" cy="260" r="12" fill="${main}"/><circle cx="222" cy="232" r="12" fill="${main}"/><circle cx="222" cy="260" r="12" fill="${main}"/><circle cx="240" cy="246" r="7" fill="${accent}"/>`,
  case: ({ main, accent }, i) => `
    <rect x="96" y="168" width="208" height="120" rx="48" fill="${main}"/>
    <path d="M128 196h144" stroke="${accent}" stroke-width="6" stroke-dasharray="6 5"/>
    <path d="M272 196l22 30" stroke="${accent}" stroke-width="6" stroke-linecap="round"/>
    <circle cx="200" cy="246" r="20" fill="${accent}"/>${letter(200, 247, 22, main, i)}`,
  tape: ({ main, accent, bg }) => `
    <path d="M160 296h150v14h-150z" fill="${main}" opacity=".85"/>
    <circle cx="250" cy="206" r="62" fill="${accent}"/><circle cx="250" cy="206" r="32" fill="${bg}"/>
    <circle cx="160" cy="236" r="74" fill="${main}"/><circle cx="160" cy="236" r="38" fill="${bg}"/>
    <circle cx="160" cy="236" r="56" fill="none" stroke="${shade(main, 0.25)}" stroke-width="3"/>`,
};

function productSvg(product) {
  const { bg } = product.colors;
  const draw = SHAPES[product.shape] ?? (({ main, accent }, i) => `<circle cx="200" cy="210" r="90" fill="${main}"/>${letter(200, 212, 80, accent, i)}`);
  const initial = escapeXml(product.name.en.charAt(0).toUpperCase());
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 400 400" width="400" height="400" role="img" aria-label="${escapeXml(product.name.en)}">
<rect width="400" height="400" fill="${bg}"/>
<circle cx="330" cy="70" r="120" fill="${shade(bg, 0.35)}"/>
<ellipse cx="200" cy="330" rx="130" ry="14" fill="#000" opacity=".07"/>
${draw(product.colors, initial).trim()}
</svg>
`;
}
