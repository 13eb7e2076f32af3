//! Correlations for the predictive validity report: Pearson's r with its 95 %
//! confidence interval (Fisher's z), and Spearman's rho (Pearson's r of the
//! ranks, ties given their average rank). They equal scipy's `pearsonr` and
//! `spearmanr` on the same pairs to 1e-9 (the fixtures in
//! `tests/support/validity_fixtures.json` were computed with scipy).

/// Below this many pairs a figure is not shown: `insufficient_data`.
pub const MIN_PAIRS: usize = 20;

/// The normal quantile of 0.975: a 95 % interval.
const Z_975: f64 = 1.959_963_984_540_054;

/// Pearson's r of `(x, y)` pairs; `None` with fewer than two pairs or when
/// either side does not vary.
pub fn pearson(pairs: &[(f64, f64)]) -> Option<f64> {
    let n = pairs.len();
    if n < 2 {
        return None;
    }
    let nf = n as f64;
    let mx = pairs.iter().map(|p| p.0).sum::<f64>() / nf;
    let my = pairs.iter().map(|p| p.1).sum::<f64>() / nf;
    // As scipy does: each side centred and scaled to unit length first.
    let nx = pairs.iter().map(|p| (p.0 - mx).powi(2)).sum::<f64>().sqrt();
    let ny = pairs.iter().map(|p| (p.1 - my).powi(2)).sum::<f64>().sqrt();
    if nx == 0.0 || ny == 0.0 || !nx.is_finite() || !ny.is_finite() {
        return None;
    }
    let r: f64 = pairs
        .iter()
        .map(|p| ((p.0 - mx) / nx) * ((p.1 - my) / ny))
        .sum();
    Some(r.clamp(-1.0, 1.0))
}

/// The ranks of `values` (1-based), ties sharing their average rank.
pub fn ranks(values: &[f64]) -> Vec<f64> {
    let mut order: Vec<usize> = (0..values.len()).collect();
    order.sort_by(|&a, &b| values[a].total_cmp(&values[b]));
    let mut out = vec![0.0; values.len()];
    let mut i = 0;
    while i < order.len() {
        let mut j = i;
        while j + 1 < order.len() && values[order[j + 1]] == values[order[i]] {
            j += 1;
        }
        // Positions i..=j (0-based) hold ranks i+1..=j+1: their average.
        let rank = (i + j) as f64 / 2.0 + 1.0;
        for &k in &order[i..=j] {
            out[k] = rank;
        }
        i = j + 1;
    }
    out
}

/// Spearman's rho: Pearson's r of the ranks.
pub fn spearman(pairs: &[(f64, f64)]) -> Option<f64> {
    let xs: Vec<f64> = pairs.iter().map(|p| p.0).collect();
    let ys: Vec<f64> = pairs.iter().map(|p| p.1).collect();
    let ranked: Vec<(f64, f64)> = ranks(&xs).into_iter().zip(ranks(&ys)).collect();
    pearson(&ranked)
}

/// The 95 % confidence interval of Pearson's `r` over `n` pairs (Fisher's
/// z); `None` with three pairs or fewer. At |r| = 1 it is `[r, r]`.
pub fn fisher_ci(r: f64, n: usize) -> Option<(f64, f64)> {
    if n <= 3 {
        return None;
    }
    let z = r.atanh();
    let se = 1.0 / ((n - 3) as f64).sqrt();
    Some(((z - Z_975 * se).tanh(), (z + Z_975 * se).tanh()))
}

/// One predictor's figures against the outcome.
#[derive(Debug, Clone, PartialEq, serde::Serialize, utoipa::ToSchema)]
pub struct Predictor {
    /// How many pairs stand behind the figures.
    pub n: usize,
    pub pearson: Option<f64>,
    /// The 95 % interval of `pearson` (Fisher's z).
    pub pearson_ci: Option<[f64; 2]>,
    pub spearman: Option<f64>,
    /// Fewer than 20 pairs: no figure is given.
    pub insufficient_data: bool,
}

impl Predictor {
    /// The figures of `(predictor, outcome)` pairs; none below [`MIN_PAIRS`].
    pub fn of(pairs: &[(f64, f64)]) -> Self {
        let n = pairs.len();
        if n < MIN_PAIRS {
            return Self {
                n,
                pearson: None,
                pearson_ci: None,
                spearman: None,
                insufficient_data: true,
            };
        }
        let pearson = pearson(pairs);
        Self {
            n,
            pearson_ci: pearson.and_then(|r| fisher_ci(r, n)).map(|(l, h)| [l, h]),
            pearson,
            spearman: spearman(pairs),
            insufficient_data: false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize)]
    struct Fixture {
        x: Vec<f64>,
        y: Vec<f64>,
        pearson: f64,
        pearson_ci: [f64; 2],
        spearman: f64,
    }

    #[derive(serde::Deserialize)]
    struct Fixtures {
        fixtures: Vec<Fixture>,
    }

    #[test]
    fn the_figures_equal_scipys_on_every_fixture() {
        let f: Fixtures =
            serde_json::from_str(include_str!("../../tests/support/validity_fixtures.json"))
                .unwrap();
        assert!(f.fixtures.len() >= 10);
        for (i, fx) in f.fixtures.iter().enumerate() {
            let pairs: Vec<(f64, f64)> = fx.x.iter().copied().zip(fx.y.iter().copied()).collect();
            let p = Predictor::of(&pairs);
            let close = |a: f64, b: f64, what: &str| {
                assert!((a - b).abs() < 1e-9, "fixture {i} {what}: {a} vs scipy {b}")
            };
            close(p.pearson.unwrap(), fx.pearson, "pearson");
            close(p.spearman.unwrap(), fx.spearman, "spearman");
            let [low, high] = p.pearson_ci.unwrap();
            close(low, fx.pearson_ci[0], "ci low");
            close(high, fx.pearson_ci[1], "ci high");
            assert_eq!(p.n, pairs.len());
            assert!(!p.insufficient_data);
        }
    }

    #[test]
    fn ties_share_their_average_rank() {
        assert_eq!(ranks(&[3.0, 1.0, 3.0, 2.0]), [3.5, 1.0, 3.5, 2.0]);
    }

    #[test]
    fn below_twenty_pairs_and_without_variation_there_is_no_figure() {
        let few: Vec<(f64, f64)> = (0..19).map(|i| (f64::from(i), f64::from(i))).collect();
        let p = Predictor::of(&few);
        assert!(p.insufficient_data);
        assert_eq!((p.n, p.pearson, p.spearman), (19, None, None));
        let flat: Vec<(f64, f64)> = (0..30).map(|i| (2.0, f64::from(i))).collect();
        let p = Predictor::of(&flat);
        assert!(!p.insufficient_data);
        assert_eq!((p.pearson, p.pearson_ci, p.spearman), (None, None, None));
        let perfect: Vec<(f64, f64)> = (0..25)
            .map(|i| (f64::from(i), 2.0 * f64::from(i)))
            .collect();
        let p = Predictor::of(&perfect);
        assert_eq!(p.pearson, Some(1.0));
        assert_eq!(p.pearson_ci, Some([1.0, 1.0]));
    }
}
