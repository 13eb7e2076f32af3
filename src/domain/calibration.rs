//! Interviewer calibration: how far raters agree, corrected for chance
//! (Krippendorff's alpha at the ordinal level), and how each interviewer rates
//! against the others. Pure functions over the ratings of a period.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

/// Alpha over a set of units, with how much data it rests on.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct Agreement {
    /// `null` only when undefined (no variation at all among pairable values).
    pub alpha: Option<f64>,
    /// Units rated by two or more raters.
    pub units: usize,
    /// Values in those units.
    pub pairable_values: usize,
    /// Fewer than 30 pairable values: read the alpha with care.
    pub insufficient_data: bool,
}

/// Below this many pairable values the alpha is flagged.
pub const MIN_PAIRABLE: usize = 30;

/// Krippendorff's alpha at the ordinal level for ratings 1–4, by the standard
/// coincidence-matrix definition. `units` holds each unit's values; units
/// with fewer than two values are not pairable and are left out.
pub fn ordinal_alpha(units: &[Vec<u8>]) -> Agreement {
    ordinal_alpha_of(units.iter().map(Vec::as_slice))
}

/// [`ordinal_alpha`] over borrowed units.
pub fn ordinal_alpha_of<'a>(units: impl IntoIterator<Item = &'a [u8]>) -> Agreement {
    const K: usize = 4;
    // Coincidences o[c][k] = Σ_u (pairs of values c, k in u) / (m_u − 1).
    let mut o = [[0.0f64; K]; K];
    let mut pairable_units = 0;
    for unit in units {
        let m = unit.len();
        if m < 2 {
            continue;
        }
        pairable_units += 1;
        let mut counts = [0usize; K];
        for v in unit {
            counts[usize::from(v.clamp(&1, &4) - 1)] += 1;
        }
        let w = 1.0 / (m as f64 - 1.0);
        for c in 0..K {
            for k in 0..K {
                let pairs = if c == k {
                    counts[c] * counts[c].saturating_sub(1)
                } else {
                    counts[c] * counts[k]
                };
                o[c][k] += pairs as f64 * w;
            }
        }
    }
    let n_c: Vec<f64> = (0..K).map(|c| o[c].iter().sum()).collect();
    let n: f64 = n_c.iter().sum();
    // Ordinal distance: δ²(c, k) = (Σ_{g=c..k} n_g − (n_c + n_k) / 2)².
    let delta = |c: usize, k: usize| -> f64 {
        let (lo, hi) = (c.min(k), c.max(k));
        let between: f64 = n_c[lo..=hi].iter().sum();
        (between - (n_c[lo] + n_c[hi]) / 2.0).powi(2)
    };
    let mut observed = 0.0;
    let mut expected = 0.0;
    for c in 0..K {
        for k in 0..K {
            let d = delta(c, k);
            observed += o[c][k] * d;
            expected += n_c[c] * n_c[k] * d;
        }
    }
    let alpha = (n > 1.0 && expected > 0.0).then(|| 1.0 - (n - 1.0) * observed / expected);
    let pairable_values = n.round() as usize;
    Agreement {
        alpha,
        units: pairable_units,
        pairable_values,
        insufficient_data: pairable_values < MIN_PAIRABLE,
    }
}

/// One submitted rating: who gave what, in which unit (loop × competency).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rated {
    pub loop_id: i64,
    pub competency_id: i64,
    pub rater: i64,
    pub rating: u8,
}

/// How one interviewer rates.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct RaterStats {
    pub user_id: i64,
    pub ratings: usize,
    /// Counts of 1, 2, 3 and 4.
    pub rating_distribution: BTreeMap<String, usize>,
    pub mean_rating: Option<f64>,
    /// The mean of (their rating − the mean of the other raters' ratings of the
    /// same unit), over the units they share; `null` when they share none.
    pub leniency: Option<f64>,
    pub n_shared: usize,
    /// Their submissions that carried a `vote_contradicts_ratings` warning.
    pub contradictions: usize,
}

/// Agreement per competency and pooled, and every rater's stats, in one pass
/// over the ratings. `contradictions` counts per rater come from the caller.
pub fn calibrate(
    ratings: &[Rated],
    contradictions: &HashMap<i64, usize>,
) -> (Agreement, BTreeMap<i64, Agreement>, Vec<RaterStats>) {
    // Units are runs of the same (loop, competency) once sorted: no map of vectors.
    let mut sorted = ratings.to_vec();
    sorted.sort_unstable_by_key(|r| (r.loop_id, r.competency_id, r.rater));
    let values: Vec<u8> = sorted.iter().map(|r| r.rating).collect();
    let mut units: Vec<(usize, usize)> = Vec::new();
    let mut start = 0;
    for i in 1..=sorted.len() {
        if i == sorted.len()
            || (sorted[i].loop_id, sorted[i].competency_id)
                != (sorted[start].loop_id, sorted[start].competency_id)
        {
            units.push((start, i));
            start = i;
        }
    }
    let pooled = ordinal_alpha_of(units.iter().map(|(s, e)| &values[*s..*e]));
    let mut by_competency: BTreeMap<i64, Vec<(usize, usize)>> = BTreeMap::new();
    for (s, e) in &units {
        by_competency
            .entry(sorted[*s].competency_id)
            .or_default()
            .push((*s, *e));
    }
    let per_competency = by_competency
        .into_iter()
        .map(|(c, us)| (c, ordinal_alpha_of(us.iter().map(|(s, e)| &values[*s..*e]))))
        .collect();
    // Per rater: the ratings given, the differences from the others' mean, units shared.
    let mut stats: BTreeMap<i64, (Vec<u8>, Vec<f64>, usize)> = BTreeMap::new();
    for (s, e) in &units {
        let unit = &sorted[*s..*e];
        let total: f64 = unit.iter().map(|r| f64::from(r.rating)).sum();
        for r in unit {
            let entry = stats.entry(r.rater).or_default();
            entry.0.push(r.rating);
            if unit.len() > 1 {
                let others = (total - f64::from(r.rating)) / (unit.len() - 1) as f64;
                entry.1.push(f64::from(r.rating) - others);
                entry.2 += 1;
            }
        }
    }
    let raters = stats
        .into_iter()
        .map(|(user_id, (given, diffs, shared))| {
            let mut distribution: BTreeMap<String, usize> =
                (1..=4).map(|r| (r.to_string(), 0)).collect();
            for r in &given {
                *distribution.entry(r.to_string()).or_default() += 1;
            }
            let mean =
                |xs: &[f64]| (!xs.is_empty()).then(|| xs.iter().sum::<f64>() / xs.len() as f64);
            let as_f: Vec<f64> = given.iter().map(|r| f64::from(*r)).collect();
            RaterStats {
                user_id,
                ratings: given.len(),
                rating_distribution: distribution,
                mean_rating: mean(&as_f),
                leniency: mean(&diffs),
                n_shared: shared,
                contradictions: contradictions.get(&user_id).copied().unwrap_or(0),
            }
        })
        .collect();
    (pooled, per_competency, raters)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize)]
    struct Fixture {
        units: Vec<Vec<u8>>,
        alpha: Option<f64>,
    }

    #[derive(serde::Deserialize)]
    struct Fixtures {
        fixtures: Vec<Fixture>,
    }

    /// Fixtures computed with the `krippendorff` Python package 0.9.0
    /// (`alpha(..., level_of_measurement="ordinal", value_domain=[1, 2, 3, 4])`).
    #[test]
    fn alpha_equals_the_krippendorff_package_on_every_fixture() {
        let f: Fixtures = serde_json::from_str(include_str!(
            "../../tests/support/krippendorff_fixtures.json"
        ))
        .unwrap();
        assert!(f.fixtures.len() >= 10);
        for (i, fx) in f.fixtures.iter().enumerate() {
            let got = ordinal_alpha(&fx.units).alpha;
            match (got, fx.alpha) {
                (Some(a), Some(b)) => assert!((a - b).abs() < 1e-9, "fixture {i}: {a} vs {b}"),
                (None, None) => {}
                other => panic!("fixture {i}: {other:?}"),
            }
        }
    }

    #[test]
    fn perfect_agreement_is_one_and_no_variation_is_undefined() {
        let a = ordinal_alpha(&[vec![1, 1], vec![4, 4], vec![2, 2]]);
        assert_eq!(a.alpha, Some(1.0));
        assert_eq!((a.units, a.pairable_values), (3, 6));
        assert!(a.insufficient_data);
        assert_eq!(ordinal_alpha(&[vec![3, 3, 3], vec![3, 3]]).alpha, None);
        assert_eq!(
            ordinal_alpha(&[vec![2]]).units,
            0,
            "a lone value pairs with nothing"
        );
    }

    #[test]
    fn leniency_compares_each_rater_with_the_others_on_shared_units() {
        let r = |loop_id, competency_id, rater, rating| Rated {
            loop_id,
            competency_id,
            rater,
            rating,
        };
        // Rater 1 gives 4 where the others gave 2 and 3 (+1.5), and 3 where rater 2 gave 2 (+1).
        let ratings = [
            r(1, 10, 1, 4),
            r(1, 10, 2, 2),
            r(1, 10, 3, 3),
            r(2, 10, 1, 3),
            r(2, 10, 2, 2),
            r(3, 11, 1, 1),
        ];
        let (_, per, raters) = calibrate(&ratings, &HashMap::from([(1, 2)]));
        let one = raters.iter().find(|s| s.user_id == 1).unwrap();
        assert_eq!(one.ratings, 3);
        assert_eq!(one.n_shared, 2);
        assert_eq!(one.leniency, Some(1.25));
        assert_eq!(one.mean_rating, Some(8.0 / 3.0));
        assert_eq!(one.rating_distribution["4"], 1);
        assert_eq!(one.contradictions, 2);
        assert_eq!(per[&10].units, 2);
        assert_eq!(per[&11].units, 0);
    }
}
