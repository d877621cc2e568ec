// The demo shop's catalogue. A real shop renders this from its database; here it is one module that
// the pages import and that the build reads to draw each product's image (dist/public/demo/img/<id>.svg).
// `shape` and `colors` exist only for those generated images.

/** @typedef {{ ko: string, en: string }} Text */
/** @typedef {{ id: string, name: Text, blurb: Text, cover: string }} Category  cover: the product whose image stands for the category */
/**
 * @typedef {object} Product
 * @property {string} id          the item_id everywhere (GA4 items, Touchpoint, image file name)
 * @property {string} category    a Category id
 * @property {Text} name
 * @property {string} brand
 * @property {number} price       KRW, what the shopper pays
 * @property {number} [listPrice] KRW before the discount, when discounted
 * @property {Text} description
 * @property {'best' | 'new'} [badge]
 * @property {string} shape       which drawing the image generator uses
 * @property {{ bg: string, main: string, accent: string }} colors
 * @property {number} [replenishDays]  days a pack usually lasts: the catalogue's repurchase cycle
 *   (Touchpoint's `replenish_days`), until repeat purchases teach it one
 */

/** @type {Category[]} */
export const CATEGORIES = [
  { id: 'kitchen', cover: 'k-plate', name: { ko: '주방', en: 'Kitchen' }, blurb: { ko: '매일 쓰는 그릇과 도구', en: 'Tableware and tools for every day' } },
  { id: 'beauty', cover: 'b-toner', name: { ko: '뷰티', en: 'Beauty' }, blurb: { ko: '순하고 가벼운 데일리 케어', en: 'Gentle, light daily care' } },
  { id: 'fashion', cover: 'f-cap', name: { ko: '패션', en: 'Fashion' }, blurb: { ko: '편하게 입는 기본 아이템', en: 'Comfortable basics' } },
  { id: 'stationery', cover: 's-tape', name: { ko: '문구', en: 'Stationery' }, blurb: { ko: '기록이 즐거워지는 문구', en: 'Stationery that makes writing a joy' } },
];

/** @type {Product[]} */
export const PRODUCTS = [
  // Kitchen
  { id: 'k-mug', category: 'kitchen', brand: 'Haru Kitchen', name: { ko: '하루 세라믹 머그컵 350ml', en: 'Haru Ceramic Mug 350ml' }, price: 12000, badge: 'best', shape: 'mug', colors: { bg: '#F3E9DC', main: '#E07A5F', accent: '#FFFFFF' }, description: { ko: '손에 착 감기는 두툼한 손잡이와 매트한 유약. 전자레인지와 식기세척기에 사용할 수 있어요.', en: 'A thick handle that fits your hand and a matte glaze. Microwave and dishwasher safe.' } },
  { id: 'k-tumbler', category: 'kitchen', brand: 'Haru Kitchen', name: { ko: '스테인리스 보온 텀블러 500ml', en: 'Stainless Insulated Tumbler 500ml' }, price: 24900, listPrice: 29000, shape: 'tumbler', colors: { bg: '#DDEBE6', main: '#3D6B5E', accent: '#A8C8BC' }, description: { ko: '이중 진공 구조로 6시간 보온, 12시간 보냉. 차 안 컵홀더에 쏙 들어가요.', en: 'Double-walled: hot for 6 hours, cold for 12. Fits a car cup holder.' } },
  { id: 'k-plate', category: 'kitchen', brand: 'Haru Kitchen', name: { ko: '유약 도자기 접시 2P 세트', en: 'Glazed Stoneware Plates, Set of 2' }, price: 32000, shape: 'plate', colors: { bg: '#E4E9F2', main: '#F7F7F2', accent: '#7A8FB8' }, description: { ko: '테두리에 은은한 푸른 유약을 두른 23cm 접시 두 장.', en: 'Two 23 cm plates with a soft blue glaze on the rim.' } },
  { id: 'k-board', category: 'kitchen', brand: 'Haru Kitchen', name: { ko: '월넛 원목 도마', en: 'Walnut Cutting Board' }, price: 38000, shape: 'board', colors: { bg: '#EFE6D8', main: '#8B5E3C', accent: '#B98A62' }, description: { ko: '통원목을 깎아 만든 도마. 서빙 플레이트로도 좋아요.', en: 'Cut from solid walnut. Doubles as a serving board.' } },
  { id: 'k-kettle', category: 'kitchen', brand: 'Haru Kitchen', name: { ko: '핸드드립 주전자 600ml', en: 'Pour-over Drip Kettle 600ml' }, price: 45000, badge: 'new', shape: 'kettle', colors: { bg: '#E9E4EE', main: '#4A4E69', accent: '#C9ADA7' }, description: { ko: '가늘고 긴 주둥이로 물줄기를 섬세하게 조절할 수 있어요. 인덕션 사용 가능.', en: 'A long, slim spout for a steady pour. Works on induction.' } },
  { id: 'k-cutlery', category: 'kitchen', brand: 'Haru Kitchen', name: { ko: '유기 수저 세트', en: 'Brass Spoon & Chopsticks Set' }, price: 29000, shape: 'cutlery', colors: { bg: '#F4EBD0', main: '#C9A227', accent: '#8C6D1F' }, description: { ko: '전통 방짜 유기로 만든 수저 한 벌. 선물 상자에 담아 보내드려요.', en: 'A spoon and chopsticks of traditional forged brass, in a gift box.' } },

  // Beauty
  { id: 'b-handcream', category: 'beauty', brand: 'Soom', name: { ko: '시어버터 핸드크림 50ml', en: 'Shea Butter Hand Cream 50ml' }, price: 9800, badge: 'best', shape: 'tube', colors: { bg: '#FBE4E1', main: '#F28482', accent: '#FFFFFF' }, description: { ko: '끈적임 없이 촉촉하게. 은은한 무화과 향.', en: 'Moisturising without stickiness. A soft fig scent.' } },
  { id: 'b-cleansing-oil', category: 'beauty', brand: 'Soom', name: { ko: '녹차 클렌징 오일 200ml', en: 'Green Tea Cleansing Oil 200ml' }, price: 22000, listPrice: 26000, shape: 'pump', colors: { bg: '#E3F0DA', main: '#6A994E', accent: '#F2E8CF' }, description: { ko: '제주 녹차 추출물로 메이크업을 부드럽게 녹여요.', en: 'Jeju green tea extract melts make-up away gently.' } },
  { id: 'b-sheetmask', category: 'beauty', brand: 'Soom', name: { ko: '수분 시트 마스크 10매', en: 'Hydrating Sheet Masks, 10 Pack' }, price: 15000, replenishDays: 10, shape: 'pouch', colors: { bg: '#DDEEF8', main: '#5FA8D3', accent: '#FFFFFF' }, description: { ko: '히알루론산 에센스를 듬뿍 머금은 얇은 시트.', en: 'Thin sheets soaked in hyaluronic essence.' } },
  { id: 'b-lipbalm', category: 'beauty', brand: 'Soom', name: { ko: '컬러 립밤 로즈', en: 'Tinted Lip Balm, Rose' }, price: 8500, badge: 'new', shape: 'lipstick', colors: { bg: '#F9E0E8', main: '#C9184A', accent: '#2B2D42' }, description: { ko: '보습과 생기를 한 번에. 자연스러운 로즈 컬러.', en: 'Moisture and a touch of colour, in a natural rose.' } },
  { id: 'b-sunscreen', category: 'beauty', brand: 'Soom', name: { ko: '데일리 선크림 SPF50+', en: 'Daily Sunscreen SPF50+' }, price: 18900, shape: 'tube', colors: { bg: '#FFF1C9', main: '#F4A261', accent: '#FFFFFF' }, description: { ko: '백탁 없이 가볍게 발리는 무기자차 선크림.', en: 'A mineral sunscreen that goes on light, with no white cast.' } },
  { id: 'b-toner', category: 'beauty', brand: 'Soom', name: { ko: '어성초 진정 토너 300ml', en: 'Heartleaf Calming Toner 300ml' }, price: 19500, shape: 'bottle', colors: { bg: '#E2F1EC', main: '#2A9D8F', accent: '#E9F5F2' }, description: { ko: '민감한 피부를 위한 약산성 진정 토너.', en: 'A low-pH calming toner for sensitive skin.' } },

  // Fashion
  { id: 'f-tee', category: 'fashion', brand: 'Haru Basic', name: { ko: '오버핏 코튼 반팔 티셔츠', en: 'Oversized Cotton T-shirt' }, price: 19900, badge: 'best', shape: 'shirt', colors: { bg: '#E8EEF1', main: '#FFFFFF', accent: '#9DB4C0' }, description: { ko: '20수 면으로 만든 탄탄한 기본 티셔츠. 남녀공용.', en: 'A sturdy basic tee in 20s cotton. Unisex.' } },
  { id: 'f-hoodie', category: 'fashion', brand: 'Haru Basic', name: { ko: '기모 후드 스웨트셔츠', en: 'Fleece-lined Hoodie' }, price: 49000, listPrice: 59000, shape: 'hoodie', colors: { bg: '#E6E1DA', main: '#6D597A', accent: '#B5A1C4' }, description: { ko: '안쪽 기모로 한겨울에도 따뜻해요.', en: 'Brushed fleece inside keeps you warm all winter.' } },
  { id: 'f-socks', category: 'fashion', brand: 'Haru Basic', name: { ko: '데일리 양말 5족 세트', en: 'Everyday Socks, 5 Pairs' }, price: 12900, shape: 'sock', colors: { bg: '#FDF0D5', main: '#E76F51', accent: '#264653' }, description: { ko: '발목을 조이지 않는 편안한 중목 양말.', en: 'Comfortable crew socks that never pinch.' } },
  { id: 'f-cap', category: 'fashion', brand: 'Haru Basic', name: { ko: '워싱 코튼 볼캡', en: 'Washed Cotton Ball Cap' }, price: 25000, shape: 'cap', colors: { bg: '#DCE6E0', main: '#344E41', accent: '#A3B18A' }, description: { ko: '빈티지한 워싱 가공, 뒤쪽 스트랩으로 사이즈 조절.', en: 'A vintage wash and an adjustable back strap.' } },
  { id: 'f-tote', category: 'fashion', brand: 'Haru Basic', name: { ko: '캔버스 토트백', en: 'Canvas Tote Bag' }, price: 27000, badge: 'new', shape: 'bag', colors: { bg: '#EFEAE0', main: '#D4C5A9', accent: '#3D405B' }, description: { ko: '노트북도 들어가는 넉넉한 크기, 안쪽 포켓 포함.', en: 'Roomy enough for a laptop, with an inner pocket.' } },
  { id: 'f-muffler', category: 'fashion', brand: 'Haru Basic', name: { ko: '울 머플러', en: 'Wool Muffler' }, price: 39000, shape: 'scarf', colors: { bg: '#F3E0DC', main: '#9B2226', accent: '#E9D8A6' }, description: { ko: '부드러운 메리노 울 100%. 선물 포장 가능.', en: '100% soft merino wool. Gift wrapping available.' } },

  // Stationery
  { id: 's-notebook', category: 'stationery', brand: 'Moim Paper', name: { ko: '하드커버 도트 노트 A5', en: 'Hardcover Dot Notebook A5' }, price: 13500, badge: 'best', shape: 'notebook', colors: { bg: '#E5ECE9', main: '#2F5D62', accent: '#F4E9CD' }, description: { ko: '만년필에도 번지지 않는 100g 미색 종이, 192쪽.', en: '192 pages of 100 g cream paper that fountain pens do not bleed through.' } },
  { id: 's-pens', category: 'stationery', brand: 'Moim Paper', name: { ko: '젤 잉크 볼펜 3자루', en: 'Gel Ink Pens, 3 Pack' }, price: 6000, shape: 'pen', colors: { bg: '#E7EAF6', main: '#3A86FF', accent: '#1D3557' }, description: { ko: '0.5mm 부드러운 필기감. 블랙, 블루, 레드.', en: 'A smooth 0.5 mm line, in black, blue and red.' } },
  { id: 's-planner', category: 'stationery', brand: 'Moim Paper', name: { ko: '2027 먼슬리 플래너', en: '2027 Monthly Planner' }, price: 16800, listPrice: 21000, shape: 'planner', colors: { bg: '#FCEFEF', main: '#E5989B', accent: '#FFFFFF' }, description: { ko: '월간, 주간 페이지와 습관 체크리스트 구성.', en: 'Monthly and weekly pages, with a habit tracker.' } },
  { id: 's-stickers', category: 'stationery', brand: 'Moim Paper', name: { ko: '일러스트 스티커 팩', en: 'Illustrated Sticker Pack' }, price: 4500, shape: 'stickers', colors: { bg: '#FFF3D6', main: '#FFB703', accent: '#219EBC' }, description: { ko: '다이어리 꾸미기에 좋은 스티커 6장.', en: 'Six sheets of stickers for decorating your diary.' } },
  { id: 's-pencilcase', category: 'stationery', brand: 'Moim Paper', name: { ko: '린넨 필통', en: 'Linen Pencil Case' }, price: 11000, badge: 'new', shape: 'case', colors: { bg: '#ECE7DF', main: '#A98467', accent: '#6C584C' }, description: { ko: '도톰한 린넨 원단에 YKK 지퍼.', en: 'Thick linen with a YKK zip.' } },
  { id: 's-tape', category: 'stationery', brand: 'Moim Paper', name: { ko: '마스킹 테이프 4종 세트', en: 'Masking Tape, Set of 4' }, price: 8000, shape: 'tape', colors: { bg: '#EAF4F4', main: '#84A59D', accent: '#F6BD60' }, description: { ko: '손으로 쉽게 찢어지는 와시 테이프 네 가지 색.', en: 'Washi tape that tears by hand, in four colours.' } },
];

/** @param {string | null} id */
export const findProduct = (id) => PRODUCTS.find((p) => p.id === id) ?? null;

/** @param {string | null} id */
export const findCategory = (id) => CATEGORIES.find((c) => c.id === id) ?? null;

/** @param {string} categoryId */
export const productsIn = (categoryId) => PRODUCTS.filter((p) => p.category === categoryId);
