//! `inmail-sim init`: a commented scenario to start from
//! (`scenario::template`), written to a new file or printed.

use crate::cli::InitArgs;
use crate::error::UserError;
use crate::sampling::demand::Volume;
use crate::scenario::template::{self, Choices};
use crate::scenario::{Overrides, Problem, parse};
use std::path::Path;

pub fn init(args: &InitArgs) -> anyhow::Result<()> {
    let volume = match (args.per_workday, args.per_week, args.per_month) {
        (Some(x), _, _) => Some(Volume::PerWorkday(x)),
        (_, Some(x), _) => Some(Volume::PerWeek(x)),
        (_, _, Some(x)) => Some(Volume::PerCycle(x)),
        _ => None,
    };
    let choices = Choices {
        plan: args.plan.clone(),
        volume,
        rate: args.rate.clone(),
        addons: args.addons.clone(),
        seats: args.seats,
    };
    let to_stdout = args.file.as_os_str() == "-";
    // `init dirx/` or `init .`: a folder, not a file name (the OS would
    // say "Is a directory (os error 21)", or "already exists").
    let names_a_folder =
        args.file.as_os_str().to_string_lossy().ends_with('/') || args.file.is_dir();
    if !to_stdout && names_a_folder {
        return Err(UserError(format!(
            "{}: is a folder; give a file name, such as {}",
            crate::safe_text::for_terminal(&args.file.display().to_string()),
            args.file.join("scenario.toml").display()
        ))
        .into());
    }
    let shown = crate::safe_text::for_terminal(&args.file.display().to_string()).into_owned();
    let header_name = if to_stdout { "FILE" } else { shown.as_str() };
    let text = template::text(&choices, header_name).map_err(|e| UserError(e.to_string()))?;
    // The template is valid by construction; a choice out of a key's range
    // (`--per-workday 20000`) is caught here, before anything is written.
    let name = if to_stdout {
        Path::new("scenario.toml")
    } else {
        &args.file
    };
    let sc = parse(&text, name, &Overrides::default()).map_err(|e| match e.problem {
        Problem::Invalid(inv) => UserError(format!("{inv} (from the options given)")),
        _ => UserError(e.to_string()),
    })?;
    if to_stdout {
        return super::print(false, |out| out.write_all(text.as_bytes()));
    }
    crate::export::new_files::write_new(&[(args.file.clone(), &text)])?;
    super::print(false, |out| {
        let seats = match sc.seats.count {
            1 => String::new(),
            n => format!("{n} seats ({}), each ", pooling(sc.seats.pooled)),
        };
        writeln!(
            out,
            "Wrote {shown}: {}, {seats}{}.",
            sc.plan.name,
            volume_words(sc.demand.volume)
        )?;
        writeln!(out, "Edit it, then run:  inmail-sim run {shown}")
    })
}

fn volume_words(v: Volume) -> String {
    let (x, per) = match v {
        Volume::PerWorkday(x) => (x, "a workday"),
        Volume::PerWeek(x) => (x, "a week"),
        Volume::PerCycle(x) => (x, "a month"),
    };
    let things = crate::numbers::noun(x, "InMail", "InMails");
    format!("{} {things} {per}", crate::numbers::given(x))
}

fn pooling(pooled: bool) -> &'static str {
    if pooled {
        "one pooled balance"
    } else {
        "a balance each"
    }
}
