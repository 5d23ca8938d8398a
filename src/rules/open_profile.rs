//! §4a, the Open Profile allowance (§8.13): a message to an Open Profile
//! goes out free while the cycle's `open_profile.limit` has room.

/// Whether the cycle's allowance has room after `used` free messages.
#[inline]
pub fn free_left(limit: Option<u32>, used: u32) -> bool {
    limit.is_none_or(|limit| used < limit)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn free_messages_stop_at_the_cycle_limit() {
        assert!(free_left(None, u32::MAX - 1));
        assert!(free_left(Some(3), 2));
        assert!(!free_left(Some(3), 3));
    }
}
