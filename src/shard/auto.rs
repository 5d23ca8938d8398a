//! `--shard auto`: the shard index (and count, where the scheduler gives
//! it) read from the environment of common batch schedulers, in this order:
//!
//! | scheduler | index | count |
//! |---|---|---|
//! | Slurm job array | `SLURM_ARRAY_TASK_ID` − `SLURM_ARRAY_TASK_MIN`, over `SLURM_ARRAY_TASK_STEP` | `SLURM_ARRAY_TASK_COUNT` |
//! | Grid Engine array job | `SGE_TASK_ID` − `SGE_TASK_FIRST`, over `SGE_TASK_STEPSIZE` | from `SGE_TASK_LAST` |
//! | Kubernetes Indexed Job | `JOB_COMPLETION_INDEX` (from 0) | `auto/N` (Kubernetes does not export it) |
//! | AWS Batch array job | `AWS_BATCH_JOB_ARRAY_INDEX` (from 0) | `auto/N` |
//!
//! A count given as `auto/N` must agree with the scheduler's own, when it
//! has one: a job array of 8 tasks running shards "of 16" would leave half
//! the trials unsimulated, and `merge` would only find out at the end.

/// The shard found, and a sentence naming the variables it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub spec: super::ShardSpec,
    pub source: String,
}

type Env<'a> = &'a dyn Fn(&str) -> Option<String>;

/// Reads the first scheduler whose variables are set.
pub fn detect(env: Env<'_>, count: Option<u32>) -> Result<Found, String> {
    if env("SLURM_ARRAY_TASK_ID").is_some() {
        return stepped(env, count, SLURM);
    }
    if env("SGE_TASK_ID").is_some_and(|v| v != "undefined") {
        return stepped(env, count, SGE);
    }
    for name in ["JOB_COMPLETION_INDEX", "AWS_BATCH_JOB_ARRAY_INDEX"] {
        if let Some(value) = env(name) {
            return from_zero(name, &value, count);
        }
    }
    Err(
        "no scheduler's shard index in the environment: looked for SLURM_ARRAY_TASK_ID \
         (Slurm), SGE_TASK_ID (Grid Engine), JOB_COMPLETION_INDEX (Kubernetes Indexed Job) \
         and AWS_BATCH_JOB_ARRAY_INDEX (AWS Batch); give the shard as K/N instead"
            .to_string(),
    )
}

/// The variable names of a scheduler whose array tasks run from a first
/// to a last value in steps.
struct Stepped {
    name: &'static str,
    id: &'static str,
    first: &'static str,
    step: &'static str,
    /// Either the task count, or the last task id (`count_is_last`).
    count: &'static str,
    count_is_last: bool,
}

const SLURM: Stepped = Stepped {
    name: "Slurm",
    id: "SLURM_ARRAY_TASK_ID",
    first: "SLURM_ARRAY_TASK_MIN",
    step: "SLURM_ARRAY_TASK_STEP",
    count: "SLURM_ARRAY_TASK_COUNT",
    count_is_last: false,
};

const SGE: Stepped = Stepped {
    name: "Grid Engine",
    id: "SGE_TASK_ID",
    first: "SGE_TASK_FIRST",
    step: "SGE_TASK_STEPSIZE",
    count: "SGE_TASK_LAST",
    count_is_last: true,
};

fn stepped(env: Env<'_>, given: Option<u32>, s: Stepped) -> Result<Found, String> {
    let read = |name: &str| -> Result<Option<u64>, String> {
        match env(name) {
            None => Ok(None),
            Some(v) => v.trim().parse::<u64>().map(Some).map_err(|_| {
                format!(
                    "{name}={} is not a whole number",
                    crate::safe_text::quoted(&v)
                )
            }),
        }
    };
    let id = read(s.id)?.unwrap_or(0);
    let first = read(s.first)?.unwrap_or(0);
    let step = read(s.step)?.unwrap_or(1).max(1);
    if id < first || (id - first) % step != 0 {
        return Err(format!(
            "{}={id} is not on the array's grid ({}={first}, {}={step})",
            s.id, s.first, s.step
        ));
    }
    let index = (id - first) / step + 1;
    let own = read(s.count)?.map(|c| match s.count_is_last {
        true => c.saturating_sub(first) / step + 1,
        false => c,
    });
    let count = agree(s.name, s.count, own, given)?;
    let source = format!(
        "{}: {}={id} with {}={first} and {}={step} is shard {index} of {count}",
        s.name, s.id, s.first, s.step
    );
    finish(index, count, source)
}

fn from_zero(name: &str, value: &str, given: Option<u32>) -> Result<Found, String> {
    let zero_based: u64 = value.trim().parse().map_err(|_| {
        format!(
            "{name}={} is not a whole number",
            crate::safe_text::quoted(value)
        )
    })?;
    let Some(count) = given else {
        return Err(format!(
            "{name} gives the index but not the number of shards: write --shard auto/N"
        ));
    };
    let index = zero_based.saturating_add(1);
    let source = format!("{name}={zero_based} (counted from 0) is shard {index} of {count}");
    finish(index, u64::from(count), source)
}

/// The count: the scheduler's, the one given, or both when they agree.
fn agree(name: &str, var: &str, own: Option<u64>, given: Option<u32>) -> Result<u64, String> {
    match (own, given) {
        (Some(a), Some(b)) if a != u64::from(b) => Err(format!(
            "{name} runs {a} tasks ({var}) but --shard auto/{b} says {b} shards"
        )),
        (Some(a), _) => Ok(a),
        (None, Some(b)) => Ok(u64::from(b)),
        (None, None) => Err(format!(
            "{name} gives no task count ({var}): write --shard auto/N"
        )),
    }
}

fn finish(index: u64, count: u64, source: String) -> Result<Found, String> {
    // A number past u32 is said as the scheduler gave it, not wrapped or
    // cut to 4294967295 (which would name another shard).
    let narrow = |n: u64, what: &str| {
        u32::try_from(n).map_err(|_| {
            format!("{source}: the {what} {n} is past the most shards a run can have (4294967295)")
        })
    };
    let spec = super::ShardSpec::new(narrow(index, "shard")?, narrow(count, "shard count")?)?;
    Ok(Found { spec, source })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shard::ShardSpec;

    fn env_of(vars: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let vars: Vec<(String, String)> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |name| vars.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone())
    }

    #[test]
    fn a_slurm_array_task_is_its_shard_and_says_so() {
        let env = env_of(&[
            ("SLURM_ARRAY_TASK_ID", "12"),
            ("SLURM_ARRAY_TASK_MIN", "10"),
            ("SLURM_ARRAY_TASK_STEP", "2"),
            ("SLURM_ARRAY_TASK_COUNT", "4"),
        ]);
        let found = detect(&env, None).unwrap();
        assert_eq!(found.spec, ShardSpec { index: 2, count: 4 });
        assert!(found.source.starts_with("Slurm: SLURM_ARRAY_TASK_ID=12"));
        let e = detect(&env, Some(8)).unwrap_err();
        assert!(e.contains("runs 4 tasks"), "{e}");
    }

    #[test]
    fn a_kubernetes_index_counts_from_zero_and_needs_the_count() {
        let env = env_of(&[("JOB_COMPLETION_INDEX", "0")]);
        let found = detect(&env, Some(3)).unwrap();
        assert_eq!(found.spec, ShardSpec { index: 1, count: 3 });
        assert!(detect(&env, None).unwrap_err().contains("auto/N"));
        let past = env_of(&[("JOB_COMPLETION_INDEX", "3")]);
        assert!(detect(&past, Some(3)).is_err());
    }

    #[test]
    fn a_grid_engine_task_counts_from_first_to_last() {
        let env = env_of(&[
            ("SGE_TASK_ID", "5"),
            ("SGE_TASK_FIRST", "1"),
            ("SGE_TASK_LAST", "8"),
            ("SGE_TASK_STEPSIZE", "1"),
        ]);
        assert_eq!(
            detect(&env, None).unwrap().spec,
            ShardSpec { index: 5, count: 8 }
        );
        let not_array = env_of(&[("SGE_TASK_ID", "undefined")]);
        assert!(detect(&not_array, None).is_err());
    }

    #[test]
    fn a_scheduler_number_past_u32_is_refused_as_given_not_wrapped() {
        let big = "18446744073709551615";
        let env = env_of(&[("JOB_COMPLETION_INDEX", "18446744073709551615")]);
        let e = detect(&env, Some(3)).unwrap_err();
        assert!(e.contains(big) && e.contains("past the most shards"), "{e}");
        let env = env_of(&[
            ("SLURM_ARRAY_TASK_ID", "1"),
            ("SLURM_ARRAY_TASK_COUNT", "18446744073709551615"),
        ]);
        let e = detect(&env, None).unwrap_err();
        assert!(e.contains(big) && e.contains("shard count"), "{e}");
    }

    #[test]
    fn no_scheduler_names_what_was_looked_for() {
        let e = detect(&env_of(&[]), Some(4)).unwrap_err();
        assert!(
            e.contains("SLURM_ARRAY_TASK_ID") && e.contains("K/N"),
            "{e}"
        );
        let bad = env_of(&[("SLURM_ARRAY_TASK_ID", "x")]);
        assert!(
            detect(&bad, None)
                .unwrap_err()
                .contains("not a whole number")
        );
    }
}
