//! Small numerical tools for the calibration fit: a Nelder–Mead minimiser
//! (no derivatives needed, robust on the two-parameter delay likelihood,
//! whose curvature changes a lot between young and old histories), a
//! root finder for a decreasing function, and a finite-difference Hessian.

/// Minimises `f` from `start` with initial steps `step`, Nelder–Mead with
/// the standard coefficients (reflection 1, expansion 2, contraction ½,
/// shrink ½). `f` may return +inf to forbid a point (bounds). Restarts once
/// from the best point found, which guards against a simplex that
/// collapsed early (Press et al., Numerical Recipes §10.5).
pub fn nelder_mead<const N: usize>(
    f: impl Fn(&[f64; N]) -> f64,
    start: [f64; N],
    step: [f64; N],
) -> ([f64; N], f64) {
    nelder_mead_rounds(f, start, step, 2)
}

/// [`nelder_mead`] with `rounds` runs, each started from the best point of
/// the last: one is enough from a start already near the minimum (the
/// profile of the rate's interval, refitted from its neighbour's optimum).
pub fn nelder_mead_rounds<const N: usize>(
    f: impl Fn(&[f64; N]) -> f64,
    start: [f64; N],
    step: [f64; N],
    rounds: usize,
) -> ([f64; N], f64) {
    let mut best = (start, f(&start));
    for _ in 0..rounds {
        best = nelder_mead_once(&f, best.0, step);
    }
    best
}

fn nelder_mead_once<const N: usize>(
    f: &impl Fn(&[f64; N]) -> f64,
    start: [f64; N],
    step: [f64; N],
) -> ([f64; N], f64) {
    let mut simplex: Vec<([f64; N], f64)> = Vec::with_capacity(N + 1);
    simplex.push((start, f(&start)));
    for i in 0..N {
        let mut x = start;
        x[i] += step[i];
        simplex.push((x, f(&x)));
    }
    let blend = |a: &[f64; N], b: &[f64; N], t: f64| {
        let mut x = *a;
        for i in 0..N {
            x[i] = a[i] + t * (b[i] - a[i]);
        }
        x
    };
    for _ in 0..1000 {
        simplex.sort_by(|a, b| a.1.total_cmp(&b.1));
        let (lo, hi) = (simplex[0].1, simplex[N].1);
        let size = (1..=N)
            .flat_map(|k| (0..N).map(move |i| (k, i)))
            .map(|(k, i)| (simplex[k].0[i] - simplex[0].0[i]).abs())
            .fold(0.0, f64::max);
        if (hi - lo).abs() <= 1e-12 * (1.0 + lo.abs()) && size < 1e-7 {
            break;
        }
        let mut centroid = [0.0; N];
        for (x, _) in &simplex[..N] {
            for i in 0..N {
                centroid[i] += x[i] / N as f64;
            }
        }
        let worst = simplex[N].0;
        let reflected = blend(&centroid, &worst, -1.0);
        let fr = f(&reflected);
        if fr < simplex[0].1 {
            let expanded = blend(&centroid, &worst, -2.0);
            let fe = f(&expanded);
            simplex[N] = if fe < fr {
                (expanded, fe)
            } else {
                (reflected, fr)
            };
        } else if fr < simplex[N - 1].1 {
            simplex[N] = (reflected, fr);
        } else {
            let toward = if fr < simplex[N].1 { reflected } else { worst };
            let contracted = blend(&centroid, &toward, 0.5);
            let fc = f(&contracted);
            if fc < simplex[N].1.min(fr) {
                simplex[N] = (contracted, fc);
            } else {
                let best = simplex[0].0;
                for v in simplex.iter_mut().skip(1) {
                    v.0 = blend(&best, &v.0, 0.5);
                    v.1 = f(&v.0);
                }
            }
        }
    }
    simplex.sort_by(|a, b| a.1.total_cmp(&b.1));
    simplex[0]
}

/// The root of a decreasing `g` on `[lo, hi]` (with `g(lo) > 0 > g(hi)`),
/// by Newton steps with derivative `dg`, falling back to bisection when a
/// step leaves the bracket: quadratic near the root, never diverging.
pub fn decreasing_root(
    g: impl Fn(f64) -> f64,
    dg: impl Fn(f64) -> f64,
    mut lo: f64,
    mut hi: f64,
) -> f64 {
    let mut x = 0.5 * (lo + hi);
    for _ in 0..200 {
        let gx = g(x);
        if gx > 0.0 {
            lo = x;
        } else {
            hi = x;
        }
        if gx == 0.0 || hi - lo <= 1e-15 * (1.0 + x.abs()) {
            return x;
        }
        let newton = x - gx / dg(x);
        let next = if newton > lo && newton < hi && newton.is_finite() {
            newton
        } else {
            0.5 * (lo + hi)
        };
        if (next - x).abs() <= 1e-14 * (1.0 + x.abs()) {
            return next;
        }
        x = next;
    }
    x
}

/// The Hessian of `f` at `x` by central differences with steps `h`.
pub fn hessian<const N: usize>(
    f: impl Fn(&[f64; N]) -> f64,
    x: [f64; N],
    h: [f64; N],
) -> [[f64; N]; N] {
    let at = |di: (usize, f64), dj: (usize, f64)| {
        let mut y = x;
        y[di.0] += di.1;
        y[dj.0] += dj.1;
        f(&y)
    };
    let mut out = [[0.0; N]; N];
    for i in 0..N {
        for j in i..N {
            let (hi, hj) = (h[i], h[j]);
            let v = (at((i, hi), (j, hj)) - at((i, hi), (j, -hj)) - at((i, -hi), (j, hj))
                + at((i, -hi), (j, -hj)))
                / (4.0 * hi * hj);
            out[i][j] = v;
            out[j][i] = v;
        }
    }
    out
}

/// The inverse of a symmetric 3×3 matrix, `None` when it is singular or not
/// positive definite (then no standard errors can be read from it).
pub fn inverse_spd3(m: [[f64; 3]; 3]) -> Option<[[f64; 3]; 3]> {
    let minor = |r: [usize; 2], c: [usize; 2]| {
        m[r[0]][c[0]] * m[r[1]][c[1]] - m[r[0]][c[1]] * m[r[1]][c[0]]
    };
    let d1 = m[0][0];
    let d2 = minor([0, 1], [0, 1]);
    let cof = [
        [
            minor([1, 2], [1, 2]),
            -minor([1, 2], [0, 2]),
            minor([1, 2], [0, 1]),
        ],
        [
            -minor([0, 2], [1, 2]),
            minor([0, 2], [0, 2]),
            -minor([0, 2], [0, 1]),
        ],
        [
            minor([0, 1], [1, 2]),
            -minor([0, 1], [0, 2]),
            minor([0, 1], [0, 1]),
        ],
    ];
    let det = m[0][0] * cof[0][0] + m[0][1] * cof[0][1] + m[0][2] * cof[0][2];
    // Sylvester's criterion: all leading minors positive.
    if !(d1 > 0.0 && d2 > 0.0 && det > 0.0 && det.is_finite()) {
        return None;
    }
    let mut inv = [[0.0; 3]; 3];
    for (i, row) in inv.iter_mut().enumerate() {
        for (j, v) in row.iter_mut().enumerate() {
            *v = cof[j][i] / det;
        }
    }
    Some(inv)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nelder_mead_finds_the_minimum_of_a_curved_valley() {
        // Rosenbrock's banana, minimum 0 at (1, 1): a classic hard case.
        let f = |x: &[f64; 2]| (1.0 - x[0]).powi(2) + 100.0 * (x[1] - x[0] * x[0]).powi(2);
        let (x, fx) = nelder_mead(f, [-1.2, 1.0], [0.5, 0.5]);
        assert!(
            (x[0] - 1.0).abs() < 1e-4 && (x[1] - 1.0).abs() < 1e-4,
            "{x:?}"
        );
        assert!(fx < 1e-8, "{fx}");
    }

    #[test]
    fn nelder_mead_respects_a_forbidden_region() {
        let f = |x: &[f64; 2]| {
            if x[0] < 2.0 {
                f64::INFINITY
            } else {
                x[0] * x[0] + (x[1] - 3.0).powi(2)
            }
        };
        let (x, _) = nelder_mead(f, [5.0, 0.0], [1.0, 1.0]);
        assert!(
            (x[0] - 2.0).abs() < 1e-4 && (x[1] - 3.0).abs() < 1e-4,
            "{x:?}"
        );
    }

    #[test]
    fn decreasing_root_solves_to_full_precision() {
        let root = decreasing_root(|x| 2.0 - x * x, |x| -2.0 * x, 0.0, 2.0);
        assert!((root - 2f64.sqrt()).abs() < 1e-14, "{root}");
        // A derivative that lies still converges, by bisection.
        let root = decreasing_root(|x| 0.3 - x, |_| 1.0, 0.0, 1.0);
        assert!((root - 0.3).abs() < 1e-12, "{root}");
    }

    #[test]
    fn hessian_and_inverse_of_a_quadratic_are_exact() {
        let a = [[4.0, 1.0, 0.5], [1.0, 3.0, 0.2], [0.5, 0.2, 2.0]];
        let f = |x: &[f64; 3]| {
            let mut s = 0.0;
            for i in 0..3 {
                for j in 0..3 {
                    s += 0.5 * a[i][j] * x[i] * x[j];
                }
            }
            s
        };
        let h = hessian(f, [0.3, -0.2, 1.0], [1e-3; 3]);
        let inv = inverse_spd3(h).unwrap();
        for i in 0..3 {
            for j in 0..3 {
                assert!((h[i][j] - a[i][j]).abs() < 1e-6, "{h:?}");
                let prod: f64 = (0..3).map(|k| inv[i][k] * a[k][j]).sum();
                assert!((prod - f64::from(u8::from(i == j))).abs() < 1e-6, "{prod}");
            }
        }
        assert!(inverse_spd3([[1.0, 2.0, 0.0], [2.0, 1.0, 0.0], [0.0, 0.0, 1.0]]).is_none());
    }
}
