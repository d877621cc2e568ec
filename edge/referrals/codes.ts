/** A member's invite code: 16 characters drawn at random (80 bits) from an alphabet without
 * look-alikes, stored on first use. Nothing of the member is in it and it cannot be worked out
 * from the member id; guessing one at random hits a code in use with a chance of about
 * members / 2^80. */
const ALPHABET = 'abcdefghijkmnpqrstuvwxyz23456789'; // 32 symbols: 5 bits each
export const CODE_LENGTH = 16;
export const CODE_PATTERN = /^[a-km-np-z2-9]{16}$/;

export function newReferralCode(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(CODE_LENGTH));
  return Array.from(bytes, (b) => ALPHABET[b & 31]).join('');
}

export interface ReferralStats {
  code: string;
  friends_joined: number;
  friends_ordered: number;
}

/** The member's code (made and stored the first time) and how many friends joined and ordered
 * through it. `member` is the profile key 'u:<user_id>'. */
export async function referralStatsFor(db: D1Database, site: string, member: string, now: number): Promise<ReferralStats> {
  const [, row] = await db.batch([
    // A clash with another member's code (about 2^-80) leaves this member without a row: the read
    // below then finds none and the next decision draws again.
    db.prepare(`INSERT INTO referral_codes (site, visitor_id, code, created_at) VALUES (?1, ?2, ?3, ?4) ON CONFLICT DO NOTHING`).bind(site, member, newReferralCode(), now),
    db
      .prepare(
        `SELECT c.code,
                (SELECT count(*) FROM referrals r WHERE r.site = c.site AND r.inviter = c.visitor_id AND r.void_reason IS NULL AND r.signed_up_at IS NOT NULL) AS friends_joined,
                (SELECT count(*) FROM referrals r WHERE r.site = c.site AND r.inviter = c.visitor_id AND r.void_reason IS NULL AND r.first_order_at IS NOT NULL) AS friends_ordered
         FROM referral_codes c WHERE c.site = ?1 AND c.visitor_id = ?2`,
      )
      .bind(site, member),
  ]);
  const stats = row?.results[0] as ReferralStats | undefined;
  if (!stats) throw new Error('no referral code stored');
  return stats;
}
