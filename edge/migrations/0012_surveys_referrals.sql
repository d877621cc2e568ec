-- Issue 16: survey answer sets and referrals.

-- One row per answer set: the `survey_answer` events of one shopper, survey and decision (a set
-- spans the survey's questions). The collector refuses a new set within the survey's recontact
-- period (edge/surveys/check-answers.ts); negative answers wait here for the hand-off webhook.
CREATE TABLE survey_responses (
  site          TEXT    NOT NULL,
  visitor_id    TEXT    NOT NULL,
  survey        TEXT    NOT NULL,
  decision_id   TEXT    NOT NULL, -- '' when the answers came without one
  anon_id       TEXT    NOT NULL,
  user_id       TEXT,
  answered_at   INTEGER NOT NULL,
  -- {question: [answers]} of this set, and the questions answered negatively.
  answers       TEXT    NOT NULL DEFAULT '{}',
  negative      TEXT    NOT NULL DEFAULT '[]',
  -- none | pending | queued (in webhook_deliveries) — 'pending' only for negative sets of a survey
  -- that sends them.
  webhook_state TEXT    NOT NULL DEFAULT 'none',
  PRIMARY KEY (site, visitor_id, survey, decision_id)
) WITHOUT ROWID;
CREATE INDEX survey_responses_by_anon ON survey_responses (site, anon_id, survey);
CREATE INDEX survey_responses_webhook ON survey_responses (site, webhook_state) WHERE webhook_state = 'pending';
CREATE INDEX survey_answers_export ON survey_answers (site, answered_at);

-- A member's invite code: random, opaque (nothing of the member in it), one per member.
CREATE TABLE referral_codes (
  site       TEXT    NOT NULL,
  visitor_id TEXT    NOT NULL, -- 'u:<user_id>'
  code       TEXT    NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (site, visitor_id)
) WITHOUT ROWID;
CREATE UNIQUE INDEX referral_codes_by_code ON referral_codes (site, code);

-- A friend's browser that arrived through an invite link, credited to the first inviter whose
-- link it opened (edge/referrals/credit.ts). void_reason: the inviter's own browser after all.
CREATE TABLE referrals (
  site              TEXT    NOT NULL,
  friend_anon       TEXT    NOT NULL,
  code              TEXT    NOT NULL,
  inviter           TEXT    NOT NULL, -- 'u:<user_id>'
  visited_at        INTEGER NOT NULL,
  friend_user       TEXT,
  signed_up_at      INTEGER,
  first_order_at    INTEGER,
  first_order_id    TEXT,
  first_order_value REAL,
  void_reason       TEXT,
  -- none | pending | queued, for the sign-up and the first order.
  signup_webhook    TEXT    NOT NULL DEFAULT 'none',
  order_webhook     TEXT    NOT NULL DEFAULT 'none',
  PRIMARY KEY (site, friend_anon)
) WITHOUT ROWID;
CREATE INDEX referrals_by_inviter ON referrals (site, inviter);
CREATE INDEX referrals_by_friend_user ON referrals (site, friend_user);
CREATE INDEX referrals_webhook ON referrals (site) WHERE signup_webhook = 'pending' OR order_webhook = 'pending';
