//! The fingerprint of a scenario file: the hex SHA-256 of its text as read,
//! recorded in every output's comment lines and metadata so a result can be
//! traced to the exact file that produced it. It lives with the scenario,
//! not with the exporters, so that `compare` (which reads the files of a
//! set) does not depend on `export` (which writes its results).

/// Hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn sha256_matches_the_standard_test_vector() {
        assert_eq!(
            super::sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
