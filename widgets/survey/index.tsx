import { useState } from 'preact/hooks';
import type { SurveyQuestionT, WidgetPropsOf } from '../../edge/contract';
import CONTENT_CSS from '../shell/content.css';
import { defineWidget, Done, type WidgetContext } from '../shell/define-widget';
import FORMS_CSS from '../shell/forms.css';
import { COPY } from './copy';
import CSS from './styles.css';

type Props = WidgetPropsOf<'survey'>;
type Key = keyof typeof COPY.ko;
type Ctx = WidgetContext<Props, Key>;
/** A question's answer so far: one choice or score, several choices, or text. */
type Answer = string | string[];

const SCORES = Array.from({ length: 11 }, (_, n) => String(n));

/** Words from config in the page's language (the other one when it is missing). */
const say = (ctx: Ctx, text: { ko?: unknown; en?: unknown } | undefined): string => {
  const value = text?.[ctx.lang] ?? text?.[ctx.lang === 'ko' ? 'en' : 'ko'];
  return typeof value === 'string' ? value : '';
};

const given = (a: Answer | undefined) => (Array.isArray(a) ? a.length > 0 : typeof a === 'string' && a.trim() !== '');

/** Only questions the widget can render; the edge checks answers against the campaign anyway. */
function validQuestions(value: unknown): SurveyQuestionT[] {
  if (!Array.isArray(value)) return [];
  return (value as SurveyQuestionT[])
    .filter((q) => q && typeof q.id === 'string' && (q.kind === 'scale' || q.kind === 'text' || (q.kind === 'choice' && Array.isArray(q.choices))))
    .slice(0, 3);
}

interface QuestionProps {
  ctx: Ctx;
  q: SurveyQuestionT;
  index: number;
  value: Answer | undefined;
  missing: boolean;
  onChange(value: Answer): void;
}

/** One question as a fieldset of native controls (radios, checkboxes, a textarea): arrow keys move
 * within a radio group, Tab moves between questions, and the question is the group's name. */
function Question({ ctx, q, index, value, missing, onChange }: QuestionProps) {
  const { t } = ctx;
  const name = `tp-q-${index}`;
  const errorId = `${name}-error`;
  const legend = (
    <legend class="tp-q-text">
      {say(ctx, q.text)}
      {q.required ? null : <span class="tp-small"> {t('optional')}</span>}
    </legend>
  );
  const error = missing ? <p id={errorId} class="tp-error" role="alert">{t('need_answer')}</p> : null;
  const described = missing ? errorId : undefined;

  if (q.kind === 'scale') {
    return (
      <fieldset class="tp-q" aria-describedby={described}>
        {legend}
        <div class="tp-scale">
          {SCORES.map((n) => (
            <label key={n} class={`tp-score${value === n ? ' tp-on' : ''}`}>
              <input type="radio" name={name} value={n} aria-label={t('score', { n })} checked={value === n} onChange={() => onChange(n)} />
              <span aria-hidden="true">{n}</span>
            </label>
          ))}
        </div>
        {q.low_label || q.high_label ? (
          <div class="tp-scale-ends tp-small" aria-hidden="true">
            <span>{say(ctx, q.low_label)}</span>
            <span>{say(ctx, q.high_label)}</span>
          </div>
        ) : null}
        {error}
      </fieldset>
    );
  }
  if (q.kind === 'choice') {
    const picked = Array.isArray(value) ? value : value ? [value] : [];
    return (
      <fieldset class="tp-q" aria-describedby={described}>
        {legend}
        <div class="tp-choices">
          {q.choices.map((c) => (
            <label key={c.id} class={`tp-choice${picked.includes(c.id) ? ' tp-on' : ''}`}>
              <input
                type={q.multiple ? 'checkbox' : 'radio'}
                name={name}
                value={c.id}
                checked={picked.includes(c.id)}
                onChange={(e) => onChange(q.multiple ? (e.currentTarget.checked ? [...picked, c.id] : picked.filter((p) => p !== c.id)) : c.id)}
              />
              <span>{say(ctx, c.label)}</span>
            </label>
          ))}
        </div>
        {error}
      </fieldset>
    );
  }
  const text = typeof value === 'string' ? value : '';
  const max = Math.min(200, Number(q.max_length) || 200);
  return (
    <fieldset class="tp-q">
      {legend}
      <textarea
        class="tp-input tp-textarea"
        rows={3}
        maxLength={max}
        aria-label={say(ctx, q.text)}
        aria-describedby={`${name}-count${described ? ` ${described}` : ''}`}
        placeholder={t('text_placeholder')}
        value={text}
        onInput={(e) => onChange(e.currentTarget.value)}
      />
      <p id={`${name}-count`} class="tp-small tp-count">{t('chars_left', { n: max - [...text].length })}</p>
      {error}
    </fieldset>
  );
}

function Survey({ ctx }: { ctx: Ctx }) {
  const { t, props } = ctx;
  const questions = validQuestions(props.questions);
  const [answers, setAnswers] = useState<Record<string, Answer>>({});
  const [missing, setMissing] = useState<string[]>([]);
  const [sent, setSent] = useState(false);

  // Nothing it can ask (props from an older or broken config): gone without a trace.
  if (questions.length === 0) {
    queueMicrotask(() => ctx.close('empty'));
    return null;
  }
  if (sent) return <Done headingId={ctx.titleId} title={t('success_title')} body={t('success_body')} button={t('success_close')} onClose={() => ctx.close('done')} />;

  const submit = (e: Event) => {
    e.preventDefault();
    const unanswered = questions.filter((q) => q.required && !given(answers[q.id])).map((q) => q.id);
    setMissing(unanswered);
    if (unanswered.length > 0 || !questions.some((q) => given(answers[q.id]))) {
      if (unanswered.length === 0) setMissing(questions.slice(0, 1).map((q) => q.id));
      return;
    }
    for (const q of questions) {
      const a = answers[q.id];
      if (!given(a)) continue;
      ctx.track('survey_answer', { survey: props.survey, question: q.id, answer: typeof a === 'string' ? a.trim() : a });
    }
    ctx.track('widget_submit', { answered: questions.filter((q) => given(answers[q.id])).length, questions: questions.length });
    ctx.completed();
    setSent(true);
  };

  return (
    <form class="tp-survey" noValidate onSubmit={submit}>
      <h2 id={ctx.titleId} class="tp-title">{t('title')}</h2>
      <p class="tp-body">{t('body')}</p>
      {questions.map((q, index) => (
        <Question
          key={q.id}
          ctx={ctx}
          q={q}
          index={index}
          value={answers[q.id]}
          missing={missing.includes(q.id)}
          onChange={(value) => {
            setAnswers({ ...answers, [q.id]: value });
            setMissing(missing.filter((m) => m !== q.id));
          }}
        />
      ))}
      <div class="tp-actions">
        <button type="submit" class="tp-button">{t('submit')}</button>
        <button type="button" class="tp-link-button" onClick={() => ctx.close('later')}>{t('later')}</button>
      </div>
    </form>
  );
}

export const mount = defineWidget<Props, Key>({
  copy: COPY,
  css: CONTENT_CSS + FORMS_CSS + CSS,
  // The campaign's placement: inline decisions come with the shop's slot.
  placement: (_props, slot) => (slot ? 'inline' : 'modal'),
  View: Survey,
});
