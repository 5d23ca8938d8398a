//! Follow-ups (credit-rules §5; Help 57013, 417098): what becomes of a
//! paid message's follow-up, once its response, if any, is drawn.

use crate::scenario::FollowUpRule;

/// The follow-up of a paid message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FollowUp {
    /// None is sent: the response comes first (standard rule).
    Dropped,
    /// Sent `after_days` after the message; `answered`: the message is
    /// answered later, so the follow-up gets no answer of its own (the
    /// recipient answers once).
    Due { answered: bool },
    /// Recruiter rule: the response comes first, `delay` days after the
    /// message; the follow-up is cancelled and its credit comes back then.
    Cancelled { delay: u32 },
}

/// Whether the follow-up's credit is taken when the first message goes out
/// (Recruiter, Help 417098) rather than when the follow-up does (Help
/// 57013). A follow-up that cannot be charged then is never scheduled.
#[inline]
pub fn charged_at_send(rule: FollowUpRule) -> bool {
    match rule {
        FollowUpRule::Standard => false,
        FollowUpRule::Recruiter => true,
    }
}

/// The follow-up of a paid message answered after `reply_delay` days
/// (`None`: never), under `rule` with follow-ups `after_days` after it.
#[inline]
pub fn follow_up(rule: FollowUpRule, after_days: u32, reply_delay: Option<u32>) -> FollowUp {
    match (rule, reply_delay) {
        (FollowUpRule::Standard, Some(delay)) if delay <= after_days => FollowUp::Dropped,
        (FollowUpRule::Recruiter, Some(delay)) if delay <= after_days => {
            FollowUp::Cancelled { delay }
        }
        (_, reply) => FollowUp::Due {
            answered: reply.is_some(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_response_before_the_follow_up_drops_it_or_under_recruiter_cancels_it() {
        use FollowUpRule::{Recruiter, Standard};
        assert_eq!(follow_up(Standard, 5, Some(5)), FollowUp::Dropped);
        assert_eq!(
            follow_up(Recruiter, 5, Some(5)),
            FollowUp::Cancelled { delay: 5 }
        );
        for rule in [Standard, Recruiter] {
            assert_eq!(
                follow_up(rule, 5, Some(6)),
                FollowUp::Due { answered: true }
            );
            assert_eq!(follow_up(rule, 5, None), FollowUp::Due { answered: false });
        }
        assert!(charged_at_send(Recruiter) && !charged_at_send(Standard));
    }
}
