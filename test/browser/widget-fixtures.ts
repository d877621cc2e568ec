// Realistic props for each widget, as the decision engine will hand them over, and the catalogue
// the recommendations shelf reads from the worker.
import { image, SHOP } from './widget-harness';

export const XSS_NAME = '<img src=x onerror=alert(1)>';

const products = {
  ko: [
    ['mug', '분청 머그컵 350ml', 18000],
    ['plate', '백자 접시 22cm 2개 세트', 32000],
    ['bowl', '유약 볼 (라이트 그레이)', 15000],
    ['vase', '달항아리 미니 화병', 46000],
  ],
  en: [
    ['mug', 'Buncheong mug, 350 ml', 18000],
    ['plate', 'White porcelain plates, 22 cm (set of 2)', 32000],
    ['bowl', 'Glazed bowl, light grey', 15000],
    ['vase', 'Moon jar mini vase', 46000],
  ],
} as const;

export const item = (lang: 'ko' | 'en', index: number, quantity = 1) => {
  const [id, name, price] = products[lang][index]!;
  return { item_id: id, name, price, currency: 'KRW', quantity, image_url: image(id), url: `${SHOP}/products/${id}` };
};

/** The shop's catalogue; call after startShop() (its URLs are on the shop's origin). */
export const catalog = () => [
  ...['mug', 'plate', 'bowl', 'vase', 'cup', 'teapot', 'tray', 'spoon', 'jar', 'coaster'].map((id, i) => ({
    item_id: id,
    name: ['분청 머그컵 350ml', '백자 접시 22cm 2개 세트', '유약 볼 (라이트 그레이)', '달항아리 미니 화병', '고블렛 와인잔', '청자 찻주전자', '원목 서빙 트레이', '황동 티스푼 4P', '옹기 저장 항아리', '코르크 컵받침'][i],
    price: [18000, 32000, 15000, 46000, 21000, 58000, 27000, 12000, 39000, 8000][i],
    currency: 'KRW',
    category: i < 4 ? 'tableware' : 'kitchen',
    image_url: image(id),
    url: `${SHOP}/products/${id}`,
  })),
  { item_id: 'xss', name: XSS_NAME, price: 1000, currency: 'KRW', category: 'tableware', image_url: image('xss'), url: `${SHOP}/products/xss` },
];

export function propsFor(widget: string, lang: 'ko' | 'en'): Record<string, unknown> {
  switch (widget) {
    case 'signup_benefit':
      return { signup_url: `${SHOP}/signup`, benefit: { kind: 'coupon', amount: lang === 'ko' ? '5,000원' : '₩5,000' }, email_capture: true, privacy_url: `${SHOP}/privacy` };
    case 'cart_reminder':
      return { cart_url: `${SHOP}/cart`, items: [item(lang, 0, 2), item(lang, 1), item(lang, 3)], total: 114000, currency: 'KRW', offer: { code: 'COMEBACK10' } };
    case 'recommendations':
      return { strategy: 'trending', limit: 8, item_id: 'mug', layout: 'inline' };
    case 'review_prompt':
      return { transaction_id: 'T-1001', items: [item(lang, 0), item(lang, 2)], allow_text: true };
    case 'marketing_consent':
      return { privacy_url: `${SHOP}/privacy` };
    case 'interested_product':
      return { item: item(lang, 3), views: 4 };
    case 'welcome_back':
      return { offer: { code: 'WELCOME15' }, cta_url: `${SHOP}/new` };
    default:
      throw new Error(`no fixture for ${widget}`);
  }
}

export const WIDGETS = ['signup_benefit', 'cart_reminder', 'recommendations', 'review_prompt', 'marketing_consent', 'interested_product', 'welcome_back'] as const;
