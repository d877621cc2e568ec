// One campaign in five steps (who, when, what, how often, test), each with a plain-language
// summary and its advanced fields folded away; a live preview beside it at phone or desktop size;
// save, publish (switch on and save), and "preview on my shop": a short-lived link that shows this
// campaign, as edited, on the real shop page in this browser only (edge/preview).
import { useEffect, useState } from 'preact/hooks';
import { Link } from 'wouter-preact';
import type { CampaignT, StageT, TriggerT } from '../../edge/contract';
import { calls } from '../api';
import { Checkbox, DateTimeInput, EditingContext, Field, Generic, Lines, MultiCheck, NullableObject, NumberInput, Select, setAt, TextInput, toLocalInput, type Path } from '../fields';
import { campaignName, STAGE_NAMES, templateTitle, type Lang, type T } from '../i18n';
import { Preview } from '../preview';
import { useAdmin } from '../state';

const STAGES: StageT[] = ['prospect', 'new', 'active', 'at_risk', 'dormant', 'wakeup'];
const DEVICES = ['mobile', 'tablet', 'desktop'];
const PAGE_TYPES = ['home', 'category', 'product', 'cart', 'checkout', 'order_complete', 'search', 'account', 'other'];
const TRIGGERS: Record<TriggerT['type'], TriggerT> = {
  immediate: { type: 'immediate' },
  page_views: { type: 'page_views', count: 3 },
  time_on_page: { type: 'time_on_page', seconds: 5 },
  scroll_depth: { type: 'scroll_depth', percent: 50 },
  exit_intent: { type: 'exit_intent', min_dwell_seconds: 5, mobile_fallback_seconds: 30 },
  add_to_cart: { type: 'add_to_cart' },
  return_visit: { type: 'return_visit' },
};
const COMMON_COPY = ['title', 'body', 'cta'];
const FACT_RANGES = ['orders', 'cart_value', 'days_since_signup', 'days_since_first_order', 'days_since_last_order', 'total_order_value', 'average_order_value', 'amount_to_next_tier', 'points_balance', 'churn_risk'] as const;
const STEPS = ['who', 'when', 'what', 'how_often', 'test'] as const;
type Step = (typeof STEPS)[number];

const OPTION_WORDS: Record<Lang, Record<string, string>> = {
  ko: { any: '모두', member: '회원', guest: '비회원', none: '필요 없음', analytics: '분석 동의', marketing: '마케팅 동의', mobile: '휴대폰', tablet: '태블릿', desktop: '데스크톱', home: '홈', category: '카테고리', product: '상품', cart: '장바구니', checkout: '주문서', order_complete: '주문 완료', search: '검색', account: '내 계정', other: '기타', overlay: '팝업', inline: '페이지 안' },
  en: { any: 'Anyone', member: 'Members', guest: 'Guests', none: 'Not needed', analytics: 'Analytics', marketing: 'Marketing', mobile: 'Phone', tablet: 'Tablet', desktop: 'Desktop', home: 'Home', category: 'Category', product: 'Product', cart: 'Cart', checkout: 'Checkout', order_complete: 'Order complete', search: 'Search', account: 'Account', other: 'Other', overlay: 'Pop-up', inline: 'In the page' },
};

type Range = { min: number | null; max: number | null };
function rangeWords(t: T, r: Range): string | null {
  if (r.min !== null && r.max !== null) return t('range_both', { min: r.min, max: r.max });
  if (r.min !== null) return t('range_min', { min: r.min });
  if (r.max !== null) return t('range_max', { max: r.max });
  return null;
}

/** "Members in 활성 고객, with points expiring within 7 days" — the audience in a sentence. */
export function whoSummary(t: T, lang: Lang, c: CampaignT): string {
  const a = c.audience;
  const facts = [
    a.points_expiring ? t('sum_points', { d: a.points_expiring.within_days }) : '',
    a.coupons_expiring ? t('sum_coupons', { d: a.coupons_expiring.within_days }) : '',
    a.repurchase_due ? t('sum_repurchase') : '',
    rangeWords(t, a.orders) ? t('sum_orders', { range: rangeWords(t, a.orders)! }) : '',
    rangeWords(t, a.churn_risk) ? t('sum_churn', { range: rangeWords(t, a.churn_risk)! }) : '',
    rangeWords(t, a.amount_to_next_tier) ? t('sum_tier', { range: rangeWords(t, a.amount_to_next_tier)! }) : '',
  ].join('');
  return t('sum_who', {
    stages: a.stages.length ? a.stages.map((s) => STAGE_NAMES[lang][s]).join(', ') : t('any'),
    membership: a.membership === 'member' ? t('sum_members') : a.membership === 'guest' ? t('sum_guests') : t('sum_everyone'),
    consent: a.consent === 'marketing' ? t('sum_marketing') : a.consent === 'analytics' ? t('sum_analytics') : '',
    facts,
  });
}

export function triggerWords(t: T, trigger: TriggerT): string {
  switch (trigger.type) {
    case 'page_views':
      return t('trig_page_views', { count: trigger.count });
    case 'time_on_page':
      return t('trig_time_on_page', { seconds: trigger.seconds });
    case 'scroll_depth':
      return t('trig_scroll_depth', { percent: trigger.percent });
    default:
      return t(`trig_${trigger.type}`);
  }
}

function whenSummary(t: T, c: CampaignT): string {
  const schedule = `${c.schedule.start ? t('sum_from', { start: toLocalInput(c.schedule.start).replace('T', ' ') }) : ''}${c.schedule.end ? t('sum_until', { end: toLocalInput(c.schedule.end).replace('T', ' ') }) : ''}`;
  return t('sum_when', { trigger: triggerWords(t, c.trigger), schedule });
}

function howOftenSummary(t: T, c: CampaignT): string {
  const caps = [
    c.caps.per_session !== null ? t('sum_cap_session', { n: c.caps.per_session }) : '',
    c.caps.per_day !== null ? t('sum_cap_day', { n: c.caps.per_day }) : '',
    c.caps.lifetime !== null ? t('sum_cap_life', { n: c.caps.lifetime }) : '',
    c.caps.dismiss_cooldown_hours > 0 ? t('sum_cooldown', { h: c.caps.dismiss_cooldown_hours }) : '',
    c.caps.never_after_conversion ? t('sum_after_conv') : '',
  ].filter(Boolean);
  return caps.length ? caps.join(', ') : t('sum_no_cap');
}

export function CampaignEditorPage({ id }: { id: string }) {
  const admin = useAdmin();
  const { config, t, lang, session, errors, wordError } = admin;
  const index = config.campaigns.findIndex((c) => c.id === id);
  const saved = config.campaigns[index];
  const [draft, setDraft] = useState<CampaignT | null>(saved ? structuredClone(saved) : null);
  const [dirty, setDirty] = useState(false);
  const [step, setStep] = useState<Step>('who');
  const [variantIndex, setVariantIndex] = useState(0);
  const [previewLang, setPreviewLang] = useState<Lang>(lang);
  const [size, setSize] = useState<'phone' | 'desktop'>('phone');
  const [shopUrl, setShopUrl] = useState(`${location.origin}/demo/`);
  const [note, setNote] = useState('');
  // Leaving the page (reload, closing the tab) with unsaved edits asks first.
  useEffect(() => {
    if (!dirty) return;
    const warn = (e: BeforeUnloadEvent) => e.preventDefault();
    addEventListener('beforeunload', warn);
    return () => removeEventListener('beforeunload', warn);
  }, [dirty]);
  if (!saved || !draft)
    return (
      <section class="page" aria-labelledby="page-title">
        <h1 id="page-title" tabIndex={-1} class="page-title">
          {t('campaign_not_found')}
        </h1>
        <Link href="/campaigns">{t('campaigns_list')}</Link>
      </section>
    );

  const update = (path: Path, value: unknown) => {
    setDraft((d) => (d ? setAt(d, path, value) : d));
    setDirty(true);
    admin.say('');
  };
  const store = async (next: CampaignT) => {
    const result = await admin.save({ ...config, campaigns: config.campaigns.map((c, i) => (i === index ? next : c)) });
    if (result) {
      const fresh = result.config.campaigns.find((c) => c.id === next.id);
      if (fresh) setDraft(structuredClone(fresh));
      setDirty(false);
    }
    return result;
  };
  const variants = draft.variants;
  const shown = Math.min(variantIndex, variants.length - 1);
  const title = `${campaignName(lang, draft.name)} · ${templateTitle(lang, draft.template)}`;
  const stepWords: Record<Step, string> = { who: t('step_who'), when: t('step_when'), what: t('step_what'), how_often: t('step_how_often'), test: t('step_test') };
  const summaries: Record<Step, string> = {
    who: whoSummary(t, lang, draft),
    when: whenSummary(t, draft),
    what: `${draft.variants[shown]?.copy[lang]['title'] ?? templateTitle(lang, draft.template)}`,
    how_often: howOftenSummary(t, draft),
    test: t('sum_test', { variants: draft.variants.length, holdout: draft.holdout_percent }),
  };
  const optionLabel = (o: string) => (STAGES.includes(o as StageT) ? STAGE_NAMES[lang][o as StageT] : (OPTION_WORDS[lang][o] ?? o));
  const errorCount = [...errors.keys()].filter((k) => k.startsWith(`campaigns[${index}]`)).length;

  return (
    <EditingContext.Provider value={{ value: draft, update, errors, prefix: ['campaigns', index], t, optionLabel }}>
      <section class="page editor" aria-labelledby="page-title">
        <div class="page-head">
          <h1 id="page-title" tabIndex={-1} class="page-title">
            {title}
          </h1>
          <span class={`badge state-${draft.enabled ? 'on' : 'off'}`}>{draft.enabled ? t('on') : t('off')}</span>
        </div>
        <p class="hint" aria-live="polite">
          {dirty ? t('unsaved') : ''}
          {errorCount ? ` ${t('not_saved')}` : ''}
        </p>
        <div class="editor-layout">
          <div class="editor-form card">
            <ol class="steps" aria-label={t('editor_steps')}>
              {STEPS.map((s, i) => (
                <li key={s}>
                  <button type="button" class={step === s ? 'step active' : 'step'} aria-current={step === s ? 'step' : undefined} onClick={() => setStep(s)} data-step={s}>
                    <span class="step-n">{t('step_n', { n: i + 1 })}</span> {stepWords[s]}
                    <span class="step-summary">{summaries[s]}</span>
                  </button>
                </li>
              ))}
            </ol>
            <section class="step-body" aria-labelledby="step-title" data-step-body={step}>
              <h2 id="step-title">{stepWords[step]}</h2>
              <p class="summary">{summaries[step]}</p>
              {step === 'who' ? (
                <>
                  <MultiCheck path={['audience', 'stages']} label={t('stages')} options={STAGES} />
                  <Select path={['audience', 'membership']} label={t('membership')} options={['any', 'member', 'guest']} />
                  <Select path={['audience', 'consent']} label={t('consent')} options={['none', 'analytics', 'marketing']} />
                  <details class="advanced">
                    <summary>{t('advanced')}</summary>
                    <MultiCheck path={['audience', 'devices']} label={t('devices')} options={DEVICES} />
                    <MultiCheck path={['audience', 'page_types']} label={t('page_types')} options={PAGE_TYPES} />
                    <Lines path={['audience', 'url_include']} label={t('url_include')} />
                    <Lines path={['audience', 'url_exclude']} label={t('url_exclude')} />
                    <Lines path={['audience', 'utm', 'source']} label="utm_source" />
                    <fieldset>
                      <legend>{t('shop_facts')}</legend>
                      {FACT_RANGES.map((fact) => (
                        <div key={fact} class="range">
                          <NumberInput path={['audience', fact, 'min']} label={`${fact} ≥`} nullable />
                          <NumberInput path={['audience', fact, 'max']} label={`${fact} ≤`} nullable />
                        </div>
                      ))}
                      <Lines path={['audience', 'tiers']} label="tiers" />
                    </fieldset>
                    <NullableObject path={['audience', 'points_expiring']} label="points_expiring" initial={{ within_days: 14, min_amount: 1 }}>
                      <NumberInput path={['audience', 'points_expiring', 'within_days']} label="within_days" />
                      <NumberInput path={['audience', 'points_expiring', 'min_amount']} label="min_amount" />
                    </NullableObject>
                    <NullableObject path={['audience', 'coupons_expiring']} label="coupons_expiring" initial={{ within_days: 3 }}>
                      <NumberInput path={['audience', 'coupons_expiring', 'within_days']} label="within_days" />
                    </NullableObject>
                    <NullableObject path={['audience', 'repurchase_due']} label="repurchase_due" initial={{ days_before: 3, days_after: 14 }}>
                      <NumberInput path={['audience', 'repurchase_due', 'days_before']} label="days_before" />
                      <NumberInput path={['audience', 'repurchase_due', 'days_after']} label="days_after" />
                    </NullableObject>
                    <NumberInput path={['audience', 'tier_drops_within_days']} label="tier_drops_within_days" nullable />
                  </details>
                </>
              ) : null}
              {step === 'when' ? (
                <>
                  <Field path={['trigger', 'type']} label={t('trigger')}>
                    <select id="f-trigger-type" value={draft.trigger.type} onChange={(e) => update(['trigger'], structuredClone(TRIGGERS[e.currentTarget.value as TriggerT['type']]))}>
                      {Object.values(TRIGGERS).map((trigger) => (
                        <option key={trigger.type} value={trigger.type}>{triggerWords(t, trigger)}</option>
                      ))}
                    </select>
                  </Field>
                  {Object.keys(draft.trigger)
                    .filter((key) => key !== 'type')
                    .map((key) => (
                      <NumberInput key={key} path={['trigger', key]} label={key} />
                    ))}
                  <fieldset>
                    <legend>{t('schedule')}</legend>
                    <DateTimeInput path={['schedule', 'start']} label={t('start')} />
                    <DateTimeInput path={['schedule', 'end']} label={t('end')} />
                  </fieldset>
                </>
              ) : null}
              {step === 'what' ? (
                <>
                  <TextInput path={['name']} label={t('campaign_name')} />
                  {variants.map((variant, i) => {
                    const keys = [...new Set([...COMMON_COPY, ...Object.keys(variant.copy.ko), ...Object.keys(variant.copy.en)])];
                    return (
                      <fieldset key={i} class="variant">
                        <legend>
                          {t('variant')} {i + 1} ({variant.id})
                        </legend>
                        {(['ko', 'en'] as const).map((l) => keys.map((key) => <TextInput key={`${l}-${key}`} path={['variants', i, 'copy', l, key]} label={`${key} (${l})`} multiline={key === 'body'} />))}
                        <button type="button" class="secondary" onClick={() => setVariantIndex(i)} aria-pressed={shown === i}>
                          {t('preview')} {i + 1}
                        </button>
                      </fieldset>
                    );
                  })}
                  <details class="advanced">
                    <summary>{t('advanced')}</summary>
                    <TextInput path={['id']} label={t('campaign_id')} />
                    <Select path={['placement']} label="placement" options={['overlay', 'inline']} />
                    <fieldset>
                      <legend>{t('settings')}</legend>
                      <Generic path={['settings']} />
                    </fieldset>
                    <Lines path={['offer_codes']} label="offer_codes" />
                  </details>
                </>
              ) : null}
              {step === 'how_often' ? (
                <>
                  <NumberInput path={['caps', 'per_session']} label={t('per_session')} nullable />
                  <NumberInput path={['caps', 'per_day']} label={t('per_day')} nullable />
                  <NumberInput path={['caps', 'lifetime']} label={t('lifetime')} nullable />
                  <details class="advanced">
                    <summary>{t('advanced')}</summary>
                    <NumberInput path={['caps', 'dismiss_cooldown_hours']} label={t('dismiss_cooldown_hours')} />
                    <Checkbox path={['caps', 'never_after_conversion']} label={t('never_after_conversion')} />
                    <NumberInput path={['priority']} label={t('priority')} />
                  </details>
                </>
              ) : null}
              {step === 'test' ? (
                <>
                  <NumberInput path={['holdout_percent']} label={t('holdout_percent')} />
                  {variants.map((variant, i) => (
                    <fieldset key={i} class="variant">
                      <legend>
                        {t('variant')} {i + 1}
                      </legend>
                      <TextInput path={['variants', i, 'id']} label="id" />
                      <NumberInput path={['variants', i, 'weight']} label={t('weight')} />
                      {variants.length > 1 ? (
                        <button type="button" class="secondary" onClick={() => update(['variants'], variants.filter((_, j) => j !== i))}>
                          {t('remove')}
                        </button>
                      ) : null}
                    </fieldset>
                  ))}
                  <button type="button" class="secondary" onClick={() => update(['variants'], [...variants, { ...structuredClone(variants[0]!), id: `variant-${variants.length + 1}` }])}>
                    {t('add_variant')}
                  </button>
                </>
              ) : null}
              <div class="step-nav">
                {STEPS.indexOf(step) > 0 ? (
                  <button type="button" class="secondary" onClick={() => setStep(STEPS[STEPS.indexOf(step) - 1]!)}>
                    {t('prev_step')}
                  </button>
                ) : null}
                {STEPS.indexOf(step) < STEPS.length - 1 ? (
                  <button type="button" class="secondary" onClick={() => setStep(STEPS[STEPS.indexOf(step) + 1]!)}>
                    {t('next_step')}
                  </button>
                ) : null}
              </div>
            </section>
            <div class="editor-actions">
              <Checkbox path={['enabled']} label={t('enabled')} />
              <button type="button" onClick={() => void store(draft)} disabled={!dirty}>
                {t('save')}
              </button>
              <button type="button" class="publish" onClick={() => void store({ ...draft, enabled: true })}>
                {t('publish')}
              </button>
              <Link href={`/results/${encodeURIComponent(draft.id)}`} class="button secondary">
                {t('page_results')}
              </Link>
            </div>
          </div>
          <aside class="editor-preview card" aria-label={t('preview')}>
            <div class="preview-bar">
              <fieldset class="segmented">
                <legend class="visually-hidden">{t('preview_size')}</legend>
                {(['phone', 'desktop'] as const).map((s) => (
                  <label key={s} class={size === s ? 'active' : ''}>
                    <input type="radio" name="preview-size" value={s} checked={size === s} onChange={() => setSize(s)} />
                    {t(s === 'phone' ? 'preview_phone' : 'preview_desktop')}
                  </label>
                ))}
              </fieldset>
              <label>
                {t('preview_lang')}{' '}
                <select value={previewLang} onChange={(e) => setPreviewLang(e.currentTarget.value === 'en' ? 'en' : 'ko')}>
                  <option value="ko">한국어</option>
                  <option value="en">English</option>
                </select>
              </label>
            </div>
            <Preview site={session.site} campaign={draft} variant={variants[shown]!} theme={config.theme} lang={previewLang} size={size} title={`${t('preview')}: ${title}`} />
            <form
              class="shop-preview"
              onSubmit={async (e) => {
                e.preventDefault();
                try {
                  const link = await calls.preview(session, draft, variants[shown]!.id);
                  const url = new URL(shopUrl, location.origin);
                  url.searchParams.set(link.param, link.token);
                  setNote(t('preview_opened'));
                  window.open(url.href, '_blank', 'noopener');
                } catch (err) {
                  setNote(wordError(err));
                }
              }}
            >
              <label for="shop-url">{t('shop_url')}</label>
              <input id="shop-url" type="url" value={shopUrl} onInput={(e) => setShopUrl(e.currentTarget.value)} />
              <button type="submit">{t('preview_on_shop')}</button>
              <p class="hint">{t('preview_on_shop_hint')}</p>
              <p class="hint" role="status">
                {note}
              </p>
            </form>
          </aside>
        </div>
      </section>
    </EditingContext.Provider>
  );
}
