// One campaign's whole config: name, on/off, schedule, audience (with the shop's facts),
// trigger, caps, priority, holdout, variants with their copy, and its template's settings,
// beside a live preview of the template.
import { useState } from 'preact/hooks';
import { Checkbox, Field, Generic, getAt, Lines, MultiCheck, NumberInput, Select, TextInput, useEditing, type Path } from './fields';
import type { Lang } from './i18n';
import { Preview } from './preview';

const STAGES = ['prospect', 'new', 'active', 'at_risk', 'dormant', 'wakeup'];
const DEVICES = ['mobile', 'tablet', 'desktop'];
const PAGE_TYPES = ['home', 'category', 'product', 'cart', 'checkout', 'order_complete', 'search', 'account', 'other'];
const TRIGGERS: Record<string, Record<string, number>> = {
  immediate: {},
  page_views: { count: 3 },
  time_on_page: { seconds: 5 },
  scroll_depth: { percent: 50 },
  exit_intent: { min_dwell_seconds: 5, mobile_fallback_seconds: 30 },
  add_to_cart: {},
  return_visit: {},
};
/** Copy keys every overlay reads; a variant may hold more, which are shown as well. */
const COMMON_COPY = ['title', 'body', 'cta'];

/** Audience ranges over what the shop knows of a shopper (edge/contract/audience.ts). */
const FACT_RANGES = ['orders', 'days_since_signup', 'days_since_first_order', 'days_since_last_order', 'total_order_value', 'average_order_value', 'amount_to_next_tier', 'points_balance', 'churn_risk'];

export function WidgetEditor({ site, index, title }: { site: string; index: number; title: string }) {
  const { config, update, t } = useEditing();
  const at = (...rest: Path): Path => ['campaigns', index, ...rest];
  const widget = getAt(config, at());
  const name: string = widget.template;
  const [variantIndex, setVariantIndex] = useState(0);
  const [lang, setLang] = useState<Lang>('ko');
  const variants: any[] = widget.variants;
  const shown = Math.min(variantIndex, variants.length - 1);
  const trigger = widget.trigger;

  return (
    <section class="widget-editor" aria-label={title}>
      <div class="editor-form">
        <h2>{title}</h2>
        <TextInput path={at('name')} label={t('campaign_name')} />
        <TextInput path={at('id')} label={t('campaign_id')} />
        <Checkbox path={at('enabled')} label={t('enabled')} />
        <fieldset>
          <legend>{t('schedule')}</legend>
          <TextInput path={at('schedule', 'start')} label={`${t('start')} (2026-12-01T00:00:00+09:00)`} nullable />
          <TextInput path={at('schedule', 'end')} label={t('end')} nullable />
        </fieldset>
        <fieldset>
          <legend>{t('audience')}</legend>
          <MultiCheck path={at('audience', 'stages')} label={t('stages')} options={STAGES} />
          <Select path={at('audience', 'membership')} label={t('membership')} options={['any', 'member', 'guest']} />
          <Select path={at('audience', 'consent')} label={t('consent')} options={['none', 'analytics', 'marketing']} />
          <MultiCheck path={at('audience', 'devices')} label={t('devices')} options={DEVICES} />
          <MultiCheck path={at('audience', 'page_types')} label={t('page_types')} options={PAGE_TYPES} />
          <Lines path={at('audience', 'url_include')} label={t('url_include')} />
          <Lines path={at('audience', 'url_exclude')} label={t('url_exclude')} />
          <Lines path={at('audience', 'utm', 'source')} label="utm_source" />
        </fieldset>
        <fieldset>
          <legend>{t('shop_facts')}</legend>
          {FACT_RANGES.map((fact) => (
            <div key={fact} class="range">
              <NumberInput path={at('audience', fact, 'min')} label={`${fact} ≥`} nullable />
              <NumberInput path={at('audience', fact, 'max')} label={`${fact} ≤`} nullable />
            </div>
          ))}
          <Lines path={at('audience', 'tiers')} label="tiers" />
        </fieldset>
        <fieldset>
          <legend>{t('trigger')}</legend>
          <Field path={at('trigger', 'type')} label={t('trigger')}>
            <select id="f-trigger-type" value={trigger.type} onChange={(e) => update(at('trigger'), { type: e.currentTarget.value, ...TRIGGERS[e.currentTarget.value] })}>
              {Object.keys(TRIGGERS).map((type) => (
                <option key={type} value={type}>{type}</option>
              ))}
            </select>
          </Field>
          {Object.keys(trigger)
            .filter((key) => key !== 'type')
            .map((key) => (
              <NumberInput key={key} path={at('trigger', key)} label={key} />
            ))}
        </fieldset>
        <fieldset>
          <legend>{t('caps')}</legend>
          <NumberInput path={at('caps', 'per_session')} label={t('per_session')} nullable />
          <NumberInput path={at('caps', 'per_day')} label={t('per_day')} nullable />
          <NumberInput path={at('caps', 'lifetime')} label={t('lifetime')} nullable />
          <NumberInput path={at('caps', 'dismiss_cooldown_hours')} label={t('dismiss_cooldown_hours')} />
          <Checkbox path={at('caps', 'never_after_conversion')} label={t('never_after_conversion')} />
        </fieldset>
        <NumberInput path={at('priority')} label={t('priority')} />
        <NumberInput path={at('holdout_percent')} label={t('holdout_percent')} />
        <fieldset>
          <legend>{t('variants')}</legend>
          {variants.map((variant, i) => {
            const keys = [...new Set([...COMMON_COPY, ...Object.keys(variant.copy?.ko ?? {}), ...Object.keys(variant.copy?.en ?? {})])];
            return (
              <fieldset key={i} class="variant">
                <legend>
                  {t('variant')} {i + 1}
                </legend>
                <TextInput path={at('variants', i, 'id')} label="id" />
                <NumberInput path={at('variants', i, 'weight')} label={t('weight')} />
                {(['ko', 'en'] as const).map((l) =>
                  keys.map((key) => <TextInput key={`${l}-${key}`} path={at('variants', i, 'copy', l, key)} label={`${key} (${l})`} multiline={key === 'body'} />),
                )}
                {variants.length > 1 ? (
                  <button type="button" class="secondary" onClick={() => update(at('variants'), variants.filter((_, j) => j !== i))}>
                    {t('remove')}
                  </button>
                ) : null}
                <button type="button" class="secondary" onClick={() => setVariantIndex(i)} aria-pressed={shown === i}>
                  {t('preview')}
                </button>
              </fieldset>
            );
          })}
          <button type="button" class="secondary" onClick={() => update(at('variants'), [...variants, { ...structuredClone(variants[0]), id: `variant-${variants.length + 1}` }])}>
            {t('add_variant')}
          </button>
        </fieldset>
        <fieldset>
          <legend>{t('settings')}</legend>
          <Generic path={at('settings')} />
        </fieldset>
      </div>
      <aside class="editor-preview" aria-label={t('preview')}>
        <div class="preview-bar">
          <strong>{t('preview')}</strong>
          <label>
            {t('preview_lang')}{' '}
            <select value={lang} onChange={(e) => setLang(e.currentTarget.value as Lang)}>
              <option value="ko">한국어</option>
              <option value="en">English</option>
            </select>
          </label>
        </div>
        <Preview site={site} name={name} widget={widget} variant={variants[shown]} theme={config.theme} lang={lang} />
      </aside>
    </section>
  );
}
