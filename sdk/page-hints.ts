import type { PageProps } from './types';

/** What the shop's `<meta name="touchpoint:page-type">` and `<meta name="touchpoint:item-id">`
 * say about this page; explicit `page()` props win over them. */
export function pageHints(): PageProps {
  const meta = (name: string) => document.querySelector<HTMLMetaElement>(`meta[name="touchpoint:${name}"]`)?.content || undefined;
  const hints: PageProps = {};
  const type = meta('page-type');
  const item = meta('item-id');
  // A type the edge does not know would make it refuse the decision: leave it out instead.
  if (type && /^(home|category|product|cart|checkout|order_complete|search|account|other)$/.test(type)) hints.page_type = type as PageProps['page_type'];
  if (item) hints.item_id = item;
  return hints;
}
