import type { WidgetPropsOf } from '../../edge/contract';
import CONTENT_CSS from '../shell/content.css';
import { defineWidget, type WidgetContext } from '../shell/define-widget';
import JOURNEY_CSS from '../shell/journey.css';
import { CardActions, cardPlacement, wordsFor } from '../shell/journey';
import { COPY } from './copy';
import CSS from './styles.css';

type Props = WidgetPropsOf<'stamp_mission'>;
type Ctx = WidgetContext<Props, keyof typeof COPY.ko>;

const whole = (n: unknown, min: number, max: number) => (typeof n === 'number' && Number.isInteger(n) && n >= min && n <= max ? n : null);

function StampMission({ ctx }: { ctx: Ctx }) {
  const { t, props, lang } = ctx;
  const goal = whole(props.goal, 1, 20);
  const stamps = goal === null ? null : whole(props.stamps, 0, goal);
  if (goal === null || stamps === null) {
    queueMicrotask(() => ctx.close('empty'));
    return null;
  }
  const rewards = (Array.isArray(props.rewards) ? props.rewards : []).flatMap((r) => {
    const at = whole(r?.at, 1, goal);
    const benefit = wordsFor(r?.benefit, lang);
    return at !== null && benefit ? [{ at, benefit }] : [];
  });
  const next = rewards.find((r) => r.at > stamps && r.at < goal);
  const final = rewards.find((r) => r.at === goal);
  const rewarded = new Set(rewards.map((r) => r.at));
  return (
    <div class="tp-card tp-stamps-card">
      <h2 id={ctx.titleId} class="tp-title">{t('title', { stamps, goal })}</h2>
      <p class="tp-body">{t('body')}</p>
      <ol class="tp-stamps" aria-label={t('progress', { stamps, goal })}>
        {Array.from({ length: goal }, (_, i) => {
          const n = i + 1;
          const done = n <= stamps;
          return (
            <li key={n} class={`tp-stamp${done ? ' tp-stamp-done' : ''}${rewarded.has(n) ? ' tp-stamp-reward' : ''}`}>
              <span aria-hidden="true">{done ? '✓' : n}</span>
              <span class="tp-visually-hidden">{t(done ? 'stamp_done' : 'stamp_todo', { n })}</span>
            </li>
          );
        })}
      </ol>
      {next ? <p class="tp-note">{t('next', { at: next.at, benefit: next.benefit })}</p> : null}
      {final ? <p class="tp-note tp-final">{t('final', { goal, benefit: final.benefit })}</p> : null}
      <CardActions ctx={ctx} url={props.cta_url} cta={t('cta')} later={t('later')} />
    </div>
  );
}

export const mount = defineWidget<Props, keyof typeof COPY.ko>({ copy: COPY, css: CONTENT_CSS + JOURNEY_CSS + CSS, placement: cardPlacement, View: StampMission });
