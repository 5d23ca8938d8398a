//! `inmail-sim help [TOPIC]`: clap's help for a command, or `help
//! scenario`, the scenario keys from the key table the validator uses
//! (`scenario::keys`), so the reference cannot drift from what is accepted.

use crate::cli::{Cli, HelpArgs};
use crate::error::UserError;
use clap::CommandFactory;

pub fn help(args: &HelpArgs) -> anyhow::Result<()> {
    let mut cli = Cli::command();
    let text = match args.topic.as_deref() {
        None => cli.render_long_help().to_string(),
        Some("scenario" | "scenarios") => crate::scenario::keys::reference(),
        Some(topic) => match cli.find_subcommand_mut(topic) {
            Some(sub) => sub
                .clone()
                .bin_name(format!("inmail-sim {topic}"))
                .render_long_help()
                .to_string(),
            None => {
                let names: Vec<&str> = cli.get_subcommands().map(|s| s.get_name()).collect();
                return Err(UserError(format!(
                    "no help topic {topic:?}; the topics are scenario, {}",
                    names.join(", ")
                ))
                .into());
            }
        },
    };
    super::print(false, |out| out.write_all(text.as_bytes()))
}
