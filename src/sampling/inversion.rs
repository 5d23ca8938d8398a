//! Inversion of a discrete cumulative table with a guide table (Chen and
//! Asau, 1974): the answer for a uniform `u` is the number of table entries
//! `<= u`, exactly what a binary search would return, but found from a
//! precomputed starting point in about one step instead of `log2(len)`.
//! One uniform in, one index out: exact in distribution against the table.

/// A non-decreasing cumulative table and its guide.
#[derive(Debug, Clone)]
pub struct GuidedCdf {
    cdf: Vec<f64>,
    /// `guide[j]` = number of entries `<= j / guide.len()`.
    guide: Vec<u32>,
}

impl GuidedCdf {
    /// `cdf` must be non-decreasing with values in [0, 1].
    pub fn new(cdf: Vec<f64>) -> GuidedCdf {
        let buckets = cdf.len().max(1);
        let mut guide = Vec::with_capacity(buckets);
        let mut i = 0;
        for j in 0..buckets {
            let threshold = j as f64 / buckets as f64;
            while i < cdf.len() && cdf[i] <= threshold {
                i += 1;
            }
            guide.push(i as u32);
        }
        GuidedCdf { cdf, guide }
    }

    /// The number of entries `<= u`, for `u` in [0, 1).
    #[inline]
    pub fn index(&self, u: f64) -> usize {
        let bucket = ((u * self.guide.len() as f64) as usize).min(self.guide.len() - 1);
        let mut i = self.guide[bucket] as usize;
        // `u * len` can round up into the next bucket; step back if so.
        while i > 0 && self.cdf[i - 1] > u {
            i -= 1;
        }
        while i < self.cdf.len() && self.cdf[i] <= u {
            i += 1;
        }
        i
    }

    pub fn len(&self) -> usize {
        self.cdf.len()
    }

    pub fn is_empty(&self) -> bool {
        self.cdf.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sampling::streams::{Stream, stream_rng};
    use rand::RngExt;

    #[test]
    fn the_guided_index_equals_a_binary_search_everywhere() {
        let tables = [
            vec![0.1, 0.1, 0.5, 0.9, 0.999_999],
            vec![0.0, 0.0, 1.0],
            vec![0.25, 0.5, 0.75],
            (1..=365)
                .map(|k| 1.0 - (-f64::from(k) / 4.0).exp())
                .collect(),
            vec![1.0],
        ];
        let mut rng = stream_rng(3, 0, Stream::Demand);
        for cdf in tables {
            let guided = GuidedCdf::new(cdf.clone());
            let mut probes: Vec<f64> = (0..20_000).map(|_| rng.random::<f64>()).collect();
            // The exact table values and their neighbours are the risky inputs.
            for c in &cdf {
                probes.extend([*c, c.next_down().max(0.0), c.next_up().min(0.999_999_999)]);
            }
            probes.extend([0.0, 0.25, 0.5, 0.75, 1.0_f64.next_down()]);
            for u in probes.into_iter().filter(|u| (0.0..1.0).contains(u)) {
                let expected = cdf.partition_point(|&c| c <= u);
                assert_eq!(guided.index(u), expected, "u = {u}, cdf = {cdf:?}");
            }
        }
    }
}
