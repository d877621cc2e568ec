// One shopper as decisions see them (GET …/profile): the marketer's answer to "why did this customer
// see that prompt, or not". Stage and the facts audiences read, then every campaign: shown now, or
// eligible but held back (the overlay gap, a campaign ranked first), or why not, in the marketer's language.
import { useState } from 'preact/hooks';
import type { EligibilityT, ProfileViewT } from '../../edge/contract';
import { calls } from '../api';
import { campaignName, reasonIn, STAGE_NAMES, templateTitle, type Formats, type Key, type Lang, type T } from '../i18n';
import { useAdmin } from '../state';

type Kind = 'user_id' | 'anon_id';

/** The facts audiences read, as the card lists them: label key and value in words. */
function factsShown(p: ProfileViewT, f: Formats, lang: Lang): [Key, string][] {
  const x = p.facts;
  return [
    ['lookup_stage', STAGE_NAMES[lang][p.stage]],
    ['lookup_orders', f.num(x.orders)],
    ['lookup_last_order', f.num(x.days_since_last_order)],
    ['lookup_total', f.money(x.total_order_value)],
    ['lookup_tier', x.tier ?? '–'],
    ['lookup_points', f.num(x.points_balance)],
    ['lookup_coupons', x.coupons.length > 0 ? x.coupons.map((c) => c.code).join(', ') : '–'],
    ['lookup_churn', x.churn ? f.pct(x.churn.risk, 0) : '–'],
    ['lookup_cart', f.num(p.cart.length)],
  ];
}

/** How long ago the visit's latest event was, in whole minutes ("just now" under one). */
function sinceWords(at: number, t: T, f: Formats): string {
  const minutes = Math.floor((Date.now() - at) / 60_000);
  return minutes < 1 ? t('lookup_just_now') : t('lookup_minutes_ago', { minutes: f.num(minutes) });
}

export function ShopperLookup() {
  const { session, t, f, lang, wordError } = useAdmin();
  const [kind, setKind] = useState<Kind>('user_id');
  const [id, setId] = useState('');
  const [url, setUrl] = useState('');
  const [found, setFound] = useState<ProfileViewT | null>(null);
  const [note, setNote] = useState('');
  const lookUp = async (e: Event) => {
    e.preventDefault();
    const who = id.trim();
    if (!who) return;
    setNote(t('lookup_looking'));
    try {
      const profile = await calls.profile(session, kind === 'user_id' ? { user_id: who } : { anon_id: who }, url.trim() || undefined);
      setFound(profile);
      setNote(t('lookup_found', { id: who }));
    } catch (err) {
      setFound(null);
      setNote(wordError(err));
    }
  };
  const facts = found ? factsShown(found, f, lang) : null;
  const status = (e: EligibilityT) => {
    if (e.shows_now) return t('lookup_shows_now');
    if (e.eligible) return t('lookup_held', { why: reasonIn(lang, e.held_back_code, e.held_back_values, e.held_back) ?? '' });
    return reasonIn(lang, e.reason_code, e.reason_values, e.reason);
  };
  return (
    <section class="card lookup" aria-labelledby="lookup-title">
      <h2 id="lookup-title">{t('lookup_title')}</h2>
      <p class="hint" id="lookup-hint">
        {t('lookup_hint')}
      </p>
      <form onSubmit={lookUp} aria-describedby="lookup-hint">
        <div class="filters">
          <label>
            {t('lookup_kind')}
            <select value={kind} onChange={(e) => setKind(e.currentTarget.value as Kind)}>
              <option value="user_id">{t('lookup_member')}</option>
              <option value="anon_id">{t('lookup_browser')}</option>
            </select>
          </label>
          <label>
            {t('lookup_id')}
            <input id="lookup-id" type="text" required maxLength={128} autoComplete="off" spellcheck={false} value={id} onInput={(e) => setId(e.currentTarget.value)} />
          </label>
          <label>
            {t('lookup_page')}
            <input type="url" inputMode="url" placeholder="https://" value={url} onInput={(e) => setUrl(e.currentTarget.value)} />
          </label>
        </div>
        <button type="submit">{t('lookup_button')}</button>
      </form>
      <p role="status" class="hint" data-lookup-status>
        {note}
      </p>
      {found && facts ? (
        <div data-lookup-result>
          <h3>{t('lookup_facts')}</h3>
          <dl class="lookup-facts">
            {facts.map(([key, value]) => (
              <div key={key}>
                <dt>{t(key)}</dt>
                <dd data-fact={key}>{value}</dd>
              </div>
            ))}
          </dl>
          <p data-lookup-visit>
            {found.visit ? t('lookup_visit', { views: f.num(found.visit.page_views), when: sinceWords(found.visit.last_seen, t, f) }) : t('lookup_no_visit')}
          </p>
          {found.control_group ? <p data-lookup-control>{t('lookup_control')}</p> : null}
          <h3 id="lookup-campaigns">{t('lookup_campaigns')}</h3>
          <div class="table-scroll">
            <table aria-labelledby="lookup-campaigns">
              <thead>
                <tr>
                  <th scope="col">{t('page_campaigns')}</th>
                  <th scope="col">{t('lookup_status')}</th>
                </tr>
              </thead>
              <tbody>
                {found.eligibility.map((e) => (
                  <tr key={e.campaign} data-eligibility={e.campaign} data-eligible={String(e.eligible)}>
                    <th scope="row">
                      {campaignName(lang, e.name)} <span class="hint">{templateTitle(lang, e.template)}</span>
                    </th>
                    <td>{status(e)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      ) : null}
    </section>
  );
}
